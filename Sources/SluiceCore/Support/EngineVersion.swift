/// The engine's version, recorded with every output so results can be reproduced.
public enum EngineVersion {
    public static let current = "0.1.0"
}
