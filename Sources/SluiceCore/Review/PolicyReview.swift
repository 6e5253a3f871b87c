import Foundation

/// What a reviewer must see in a change to a project: grants added or removed, who may now change a
/// protected environment, environments protected or unprotected, lifecycles shortened or removed, datasets
/// reclassified, PII columns dropped, contracts loosened, new write paths. Each change carries a risk;
/// `blocking` ones (wider write access to a protected environment, a protection removed, a contract loosened
/// on data that reaches a protected environment) make `sluice plan` exit 1 so CI can ask for a second approval.
public struct PolicyReview: Sendable, Codable, Hashable {
    public enum Risk: String, Sendable, Codable, Comparable {
        case info, risky, blocking

        public static func < (lhs: Risk, rhs: Risk) -> Bool {
            [.info, .risky, .blocking].firstIndex(of: lhs)! < [.info, .risky, .blocking].firstIndex(of: rhs)!
        }
    }

    public struct Change: Sendable, Codable, Hashable {
        /// A stable code: `grant-added`, `protected-write-widened`, `contract-loosened`, …
        public var kind: String
        public var risk: Risk
        public var message: String
    }

    /// What the working tree (or revision) was compared with, in words.
    public var against: String
    public var changes: [Change]

    public var blocking: Bool { changes.contains { $0.risk == .blocking } }

    public init(before: Project, after: Project, against: String) {
        self.against = against
        var review = ReviewCollector(before: before, after: after)
        review.compareAccess()
        review.compareEnvironments()
        review.compareDatasets()
        review.compareLifecycles()
        review.compareContracts()
        review.compareWritePaths()
        review.compareStorageAccess()
        changes = review.changes.sorted { ($1.risk, $0.kind) < ($0.risk, $1.kind) }
    }
}

/// Collects the changes of a review, one comparison at a time.
struct ReviewCollector {
    let before: Project
    let after: Project
    var changes: [PolicyReview.Change] = []

    mutating func add(_ kind: String, _ risk: PolicyReview.Risk, _ message: String) {
        changes.append(PolicyReview.Change(kind: kind, risk: risk, message: message))
    }

    /// The protected environments of either side, by name (a pattern counts as its own text).
    var protected: [String] {
        Set((before.environments + after.environments).filter(\.protected).map(\.pattern.text)).sorted()
    }

    /// What each principal may do to protected environments: `principal action environment`.
    func protectedPowers(_ project: Project) -> Set<String> {
        var powers = Set<String>()
        for principal in project.principals.values {
            guard let role = project.roles[principal.role] else { continue }
            for grant in role.grants where [.write, .promote, .delete, .admin].contains(grant.action) {
                for environment in protected where grant.environment.matches(environment) {
                    powers.insert("\(principal.name) \(grant.action.rawValue) \(environment)")
                }
            }
        }
        return powers
    }

    /// A role that now reads a dataset only masked (PII, or restricted): the storage layer cannot mask, so the
    /// Terraform export gives it no access to that dataset's objects at all; a reviewer should know.
    mutating func compareStorageAccess() {
        let old = TerraformExport(project: before).maskedOnly()
        let new = TerraformExport(project: after).maskedOnly()
        for (role, datasets) in new.sorted(by: { $0.key < $1.key }) {
            for dataset in datasets where !(old[role] ?? []).contains(dataset) {
                add(
                    "storage-masked", .info,
                    "role \(role) reads \(dataset) only masked, so the Terraform export gives it no storage access to it"
                )
            }
        }
    }

    mutating func compareAccess() {
        for name in Set(before.roles.keys).union(after.roles.keys).sorted() {
            let old = Set(before.roles[name]?.grants.map(\.description) ?? [])
            let new = Set(after.roles[name]?.grants.map(\.description) ?? [])
            if before.roles[name] == nil { add("role-added", .info, "role \(name) added") }
            if after.roles[name] == nil { add("role-removed", .info, "role \(name) removed") }
            for grant in new.subtracting(old).sorted() {
                let action = grant.split(separator: ":").first.map(String.init) ?? ""
                let risk: PolicyReview.Risk =
                    ["admin", "unmask", "write", "promote", "delete"].contains(action) ? .risky : .info
                add("grant-added", risk, "role \(name) gains \(grant)")
            }
            for grant in old.subtracting(new).sorted() { add("grant-removed", .info, "role \(name) loses \(grant)") }
            if let was = before.roles[name]?.classification, let now = after.roles[name]?.classification, was != now {
                add(
                    now > was ? "role-ceiling-raised" : "role-ceiling-lowered", now > was ? .risky : .info,
                    "role \(name) reads up to \(now.rawValue) (was \(was.rawValue))")
            }
        }
        for name in Set(before.principals.keys).union(after.principals.keys).sorted() {
            switch (before.principals[name]?.role, after.principals[name]?.role) {
            case (nil, let role?): add("principal-added", .info, "principal \(name) added with role \(role)")
            case (let role?, nil): add("principal-removed", .info, "principal \(name) (role \(role)) removed")
            case (let was?, let now?) where was != now:
                add("principal-role-changed", .risky, "principal \(name) has role \(now) (was \(was))")
            default: break
            }
        }
        for power in protectedPowers(after).subtracting(protectedPowers(before)).sorted() {
            let parts = power.split(separator: " ").map(String.init)
            add(
                "protected-write-widened", .blocking,
                "\(parts[0]) may now \(parts[1]) protected \(parts[2]); a second approval is needed")
        }
    }

    mutating func compareEnvironments() {
        let old = Dictionary(before.environments.map { ($0.pattern.text, $0.protected) }) { $1 }
        let new = Dictionary(after.environments.map { ($0.pattern.text, $0.protected) }) { $1 }
        for name in Set(old.keys).union(new.keys).sorted() {
            switch (old[name], new[name]) {
            case (true, false): add("unprotected", .blocking, "environment \(name) is no longer protected")
            case (true, nil): add("unprotected", .blocking, "protected environment \(name) is no longer declared")
            case (false, true), (nil, true): add("protected", .info, "environment \(name) is now protected")
            case (nil, false): add("environment-added", .info, "environment \(name) declared")
            case (false, nil): add("environment-removed", .info, "environment \(name) no longer declared")
            default: break
            }
        }
    }

    mutating func compareDatasets() {
        for name in Set(before.datasets.keys).union(after.datasets.keys).sorted() {
            guard let old = before.datasets[name], let new = after.datasets[name] else {
                add(
                    before.datasets[name] == nil ? "dataset-added" : "dataset-removed", .info,
                    "dataset \(name) \(before.datasets[name] == nil ? "added" : "removed")")
                continue
            }
            let was = old.classification ?? .restricted
            let now = new.classification ?? .restricted
            if now < was {
                add(
                    "reclassified-down", .risky,
                    "\(name) is classified \(now.rawValue) (was \(was.rawValue)): more roles may read it")
            } else if now > was {
                add("reclassified-up", .info, "\(name) is classified \(now.rawValue) (was \(was.rawValue))")
            }
            let dropped = Set(old.pii).subtracting(new.pii).sorted()
            if !dropped.isEmpty {
                add(
                    "pii-dropped", .risky,
                    "\(name) no longer lists \(dropped.joined(separator: ", ")) as PII: it is shown unmasked")
            }
        }
    }
}
