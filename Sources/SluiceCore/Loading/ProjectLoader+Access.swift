extension ProjectLoader {
    func readEnvironments(_ value: YAMLValue, sink: DiagnosticCollector) -> [EnvironmentSpec] {
        guard let entries = value.entries("environments") else { return [] }
        var specs: [EnvironmentSpec] = []
        for entry in entries {
            guard let pattern = EnvironmentPattern(entry.key) else {
                sink.error(
                    entry.keyLocation,
                    "environment \(NameRules.quoted(entry.key)) must be lower-case names joined by / (a segment may be *)"
                )
                continue
            }
            let fields =
                entry.value.fields("environment \(entry.key)", allowed: ["protected", "lifecycle", "description"])
                ?? [:]
            let protected = fields["protected"].flatMap { $0.bool("protected") } ?? false
            let lifecycle = fields["lifecycle"].flatMap {
                readLifecycle($0, what: "lifecycle of environment \(entry.key)")
            }
            if protected, let lifecycle, !lifecycle.keepForever {
                sink.error(
                    fields["lifecycle"]!.location,
                    "environment \(entry.key) is protected, and protected environments never expire; remove its lifecycle"
                )
            }
            specs.append(
                EnvironmentSpec(
                    pattern: pattern, protected: protected, lifecycle: lifecycle, location: entry.keyLocation))
        }
        return specs
    }

    func readRoles(_ value: YAMLValue, sink: DiagnosticCollector) -> [String: Role] {
        guard let entries = value.entries("roles") else { return [:] }
        var roles: [String: Role] = [:]
        for entry in entries {
            guard NameRules.isIdentifier(entry.key) else {
                sink.error(
                    entry.keyLocation,
                    "role name \(NameRules.quoted(entry.key)) must be lower-case letters, digits, _ and -, starting with a letter"
                )
                continue
            }
            let fields =
                entry.value.fields("role \(entry.key)", allowed: ["grants", "classification", "description"]) ?? [:]
            var grants: [Grant] = []
            for (text, location) in fields["grants"].flatMap({ $0.stringList("grants of role \(entry.key)") }) ?? [] {
                switch Grant.parse(text) {
                case .success(let grant) where grant.action == .admin && !grant.isGlobalAdmin:
                    sink.error(
                        location,
                        "grant \(NameRules.quoted(text)): admin governs tokens and the policy of the whole store, so it is written admin:* (no environment or zone scope)"
                    )
                case .success(let grant): grants.append(grant)
                case .failure(let error): sink.error(location, error.message)
                }
            }
            if fields["grants"] == nil {
                sink.error(entry.keyLocation, "role \(entry.key) needs grants (a list of action:environment[:zone])")
            }
            var ceiling = Classification.restricted
            if let value = fields["classification"], let text = value.string("classification") {
                if let parsed = Classification(rawValue: text) {
                    ceiling = parsed
                } else {
                    sink.error(
                        value.location,
                        "classification of role \(entry.key) must be one of \(Classification.allCases.map(\.rawValue).joined(separator: ", ")), found \(NameRules.quoted(text))"
                    )
                }
            }
            roles[entry.key] = Role(
                name: entry.key, grants: grants, classification: ceiling, location: entry.keyLocation)
        }
        return roles
    }

    func readPrincipals(_ value: YAMLValue, sink: DiagnosticCollector) -> [String: Principal] {
        guard let entries = value.entries("principals") else { return [:] }
        var principals: [String: Principal] = [:]
        for entry in entries {
            guard NameRules.isIdentifier(entry.key) else {
                sink.error(
                    entry.keyLocation,
                    "principal name \(NameRules.quoted(entry.key)) must be lower-case letters, digits, _ and -, starting with a letter"
                )
                continue
            }
            let fields = entry.value.fields("principal \(entry.key)", allowed: ["role", "description"]) ?? [:]
            guard let roleValue = fields["role"], let role = roleValue.string("role") else {
                if fields["role"] == nil { sink.error(entry.keyLocation, "principal \(entry.key) needs a role") }
                continue
            }
            principals[entry.key] = Principal(
                name: entry.key, role: role, location: entry.keyLocation, roleLocation: roleValue.location)
        }
        return principals
    }
}
