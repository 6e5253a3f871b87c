import Foundation

/// The access policy in force: which environments are protected, the roles with their grants and read
/// ceilings, who holds which role, and each dataset's classification and PII columns. It is never read from a working tree: `sluice apply` records it in the audit chain (from a
/// clean tree, at a git commit) and every command enforces the newest recorded one.
public struct AppliedPolicy: Sendable, Codable, Equatable {
    public struct EnvironmentRule: Sendable, Codable, Equatable {
        public var pattern: String
        public var protected: Bool
    }

    public struct RoleRule: Sendable, Codable, Equatable {
        /// Grants as written (`read:prod:curated`), sorted.
        public var grants: [String]
        public var classification: Classification
    }

    public struct DatasetRule: Sendable, Codable, Equatable {
        /// `nil` when the project declares none (treated as restricted).
        public var classification: Classification?
        public var pii: [String]
    }

    /// Sorted by pattern.
    public var environments: [EnvironmentRule]
    public var roles: [String: RoleRule]
    /// Principal name → role name.
    public var principals: [String: String]
    /// Dataset name → how sensitive it is.
    public var datasets: [String: DatasetRule]

    /// The policy a project's files declare.
    public init(project: Project) {
        environments = project.environments.map { EnvironmentRule(pattern: $0.pattern.text, protected: $0.protected) }
            .sorted { $0.pattern < $1.pattern }
        roles = project.roles.mapValues {
            RoleRule(grants: $0.grants.map(\.description).sorted(), classification: $0.classification)
        }
        principals = project.principals.mapValues(\.role)
        datasets = Dictionary(
            uniqueKeysWithValues: project.datasets.map { name, dataset in
                (name.description, DatasetRule(classification: dataset.classification, pii: dataset.pii.sorted()))
            })
    }

    /// A dataset's classification; an unknown or unclassified dataset counts as restricted.
    public func classification(of dataset: DatasetName) -> Classification {
        datasets[dataset.description]?.classification ?? .restricted
    }

    /// The canonical JSON text kept in the audit chain.
    public func encoded() throws -> String {
        String(decoding: try CanonicalJSON.encode(self), as: UTF8.self)
    }

    public static func decode(_ text: String) throws -> AppliedPolicy {
        try CanonicalJSON.decode(AppliedPolicy.self, from: Data(text.utf8))
    }

    /// The SHA-256 of the canonical JSON.
    public func digest() throws -> String { ObjectID.hashing(try CanonicalJSON.encode(self)).hex }

    /// Whether the rule governing `environment` protects it: an exact name wins over the most specific pattern.
    public func isProtected(_ environment: String) -> Bool {
        let rules = environments.compactMap { rule in EnvironmentPattern(rule.pattern).map { ($0, rule.protected) } }
        return rules.filter { $0.0.matches(environment) }.max { $0.0.specificity < $1.0.specificity }?.1 ?? false
    }

    /// A role with its grants parsed; grants that no longer parse are dropped (they grant nothing).
    public func role(_ name: String) -> Role? {
        guard let rule = roles[name] else { return nil }
        let grants = rule.grants.compactMap { try? Grant.parse($0).get() }
        return Role(
            name: name, grants: grants, classification: rule.classification,
            location: SourceLocation(file: "applied policy", line: 0, column: 0))
    }

    /// The role a principal holds, if both are declared.
    public func role(ofPrincipal name: String) -> Role? {
        principals[name].flatMap { role($0) }
    }

    /// Role names holding a grant that satisfies `test`, sorted.
    public func roles(holding test: (Grant) -> Bool) -> [String] {
        roles.keys.sorted().filter { role($0)?.grants.contains(where: test) ?? false }
    }
}

/// What `sluice apply` would change: one line per difference, `+` added, `-` removed, `~` changed.
public struct PolicyPlan: Sendable, Codable, Hashable {
    public var changes: [String]
    /// Whether no policy was applied to the store yet.
    public var bootstrap: Bool
    /// The git commit the policy in force was applied from, when the store recorded one.
    public var appliedCommit: String?
    /// The project's files reviewed against a git revision (`--against`, else the applied commit, else HEAD).
    public var review: PolicyReview?
    /// Why there is no review, when a baseline could not be read.
    public var reviewProblem: String?

    public init(from old: AppliedPolicy?, to new: AppliedPolicy) {
        bootstrap = old == nil
        var changes: [String] = []
        let oldEnvironments = Dictionary(
            (old?.environments ?? []).map { ($0.pattern, $0.protected) }, uniquingKeysWith: { $1 })
        let newEnvironments = Dictionary(new.environments.map { ($0.pattern, $0.protected) }, uniquingKeysWith: { $1 })
        Self.diff(oldEnvironments, newEnvironments, "environment", into: &changes) { $0 ? "protected" : "unprotected" }
        Self.diff(old?.roles ?? [:], new.roles, "role", into: &changes) {
            "\($0.grants.joined(separator: ", ")); reads up to \($0.classification.rawValue)"
        }
        Self.diff(old?.principals ?? [:], new.principals, "principal", into: &changes) { "role \($0)" }
        Self.diff(old?.datasets ?? [:], new.datasets, "dataset", into: &changes) {
            "\($0.classification?.rawValue ?? "unclassified")\($0.pii.isEmpty ? "" : "; pii: \($0.pii.joined(separator: ", "))")"
        }
        self.changes = changes
    }

    private static func diff<Value: Equatable>(
        _ old: [String: Value], _ new: [String: Value], _ kind: String, into changes: inout [String],
        _ render: (Value) -> String
    ) {
        for key in Set(old.keys).union(new.keys).sorted() {
            switch (old[key], new[key]) {
            case (nil, let added?): changes.append("+ \(kind) \(key): \(render(added))")
            case (let removed?, nil): changes.append("- \(kind) \(key): \(render(removed))")
            case (let before?, let after?) where before != after:
                changes.append("~ \(kind) \(key): \(render(before)) → \(render(after))")
            default: continue
            }
        }
    }
}
