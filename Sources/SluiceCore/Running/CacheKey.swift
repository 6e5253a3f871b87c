import Crypto
import Foundation

/// What a step's outputs depend on, hashed: the step's definition (what it runs, what it reads and
/// writes; not its retries or timeout), the contents of every project file it names, the versions of its
/// inputs and the engine version. Equal keys mean the outputs can be reused.
public enum CacheKey {
    public static func compute(
        step: Step, root: URL, inputs: [DatasetName: ObjectID], files: any ProjectFileReader
    ) throws -> String {
        func fileHash(_ url: URL) throws -> String {
            guard let data = files.contents(of: url, from: 0) else {
                throw UsageError("cannot read \(url.path)", hint: "the step names it; is it in the project?")
            }
            return ObjectID.hashing(data).hex
        }
        var parts: [String] = ["engine \(EngineVersion.current)"]
        switch step.kind {
        case .sql(let file):
            parts.append("sql \(file)")
            // The embedded engine is part of Sluice's version; another engine is named (its version is recorded
            // in the lineage: a cache key must be computable where the engine is not installed).
            if step.sqlEngine != .sqlite { parts.append("sql-engine \(step.sqlEngine.rawValue)") }
            parts.append("file \(file) \(try fileHash(root.appendingPathComponent(file)))")
        case .command(let arguments):
            parts.append("command " + arguments.map { "\($0.utf8.count):\($0)" }.joined(separator: " "))
            // Project files the command names, resolved as the executor resolves them.
            for argument in arguments {
                guard let path = ProjectPath.resolve(argument, root: root, files: files), !path.isDirectory else {
                    continue
                }
                parts.append("file \(argument) \(try fileHash(path.url))")
            }
        }
        for input in step.inputs.sorted(by: { $0.description < $1.description }) {
            parts.append("input \(input) \(inputs[input]?.hex ?? "none")")
        }
        for output in step.outputs.sorted(by: { $0.description < $1.description }) { parts.append("output \(output)") }
        return ObjectID.hashing(Data(parts.joined(separator: "\n").utf8)).hex
    }

    /// Inputs as a run record keeps them (`raw.orders` → version), keyed by dataset for `compute`.
    public static func datasetInputs(_ recorded: [String: ObjectID]) -> [DatasetName: ObjectID] {
        Dictionary(uniqueKeysWithValues: recorded.compactMap { key, value in DatasetName(key).map { ($0, value) } })
    }
}
