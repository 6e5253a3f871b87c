import Foundation

/// Where the OpenLineage events of runs go as they happen (`openlineage: { url, endpoint }`): posted to
/// `url/endpoint`, as OpenLineage's HTTP transport does (Marquez and the like listen at `api/v1/lineage`).
public struct OpenLineageSettings: Hashable, Sendable {
    public var url: URL
    public var endpoint = "api/v1/lineage"

    public init(url: URL) { self.url = url }

    /// The URL events are posted to.
    public var destination: String {
        let base = url.absoluteString
        return (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/" + endpoint
    }
}
