import Foundation

/// The storage and permissions that run Sluice on AWS, in Terraform's JSON syntax, from the project's
/// declarations: a bucket per environment (one for each pattern, such as `sandbox/*`, its environments as
/// prefixes) with versioning, encryption, public access blocked and lifecycle rules that mirror the zones' and
/// environments' lifecycles; an IAM role per project role whose policy mirrors its grants; and, on each
/// protected environment's bucket, a policy that refuses writes from anyone but the pipeline's role.
public struct TerraformExport: Sendable {
    public let project: Project

    public init(project: Project) { self.project = project }

    /// The Terraform resource name of an environment (or pattern): `env_` and its letters and digits.
    static func resourceName(_ environment: String) -> String {
        "env_"
            + String(environment.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" })
            .replacingOccurrences(of: "__", with: "_").trimmingCharacters(in: CharacterSet(charactersIn: "_"))
    }

    /// The bucket name's suffix: lower-case letters, digits and hyphens.
    static func bucketSuffix(_ environment: String) -> String {
        String(environment.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
            .split(separator: "-").joined(separator: "-")
    }

    /// The role that runs the pipeline: the role of `service: { run_as: }`.
    var pipelineRole: String? { project.serviceRunAs.flatMap { project.principals[$0]?.role } }

    public func document() -> [String: Any] {
        var resources: [String: [String: Any]] = [:]
        func add(_ type: String, _ name: String, _ body: [String: Any]) { resources[type, default: [:]][name] = body }
        for spec in project.environments.sorted(by: { $0.pattern.text < $1.pattern.text }) {
            addBucket(spec, add)
        }
        for role in project.roles.values.sorted(by: { $0.name < $1.name }) { addRole(role, add) }
        let masked = maskedOnly().sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.joined(separator: ", "))" }
        return [
            "//":
                "Written by sluice export terraform. A role reads, at the storage layer, only the datasets Sluice lets it read unmasked (one prefix per dataset); a bucket cannot mask a column, so a dataset a role reads through Sluice only masked is not readable here at all"
                + (masked.isEmpty ? "." : " (\(masked.joined(separator: "; "))).")
                + " Writes follow the grants' zones; protected environments' buckets refuse writes from all but the pipeline's role.",
            "terraform": ["required_providers": ["aws": ["source": "hashicorp/aws", "version": ">= 5.0"]]],
            "variable": [
                "region": ["type": "string", "default": "us-east-1", "description": "The AWS region of the buckets."],
                "bucket_prefix": [
                    "type": "string", "default": "sluice-\(Self.bucketSuffix(project.name))",
                    "description": "Buckets are named PREFIX-ENVIRONMENT.",
                ],
                "trusted_principals": [
                    "type": "list(string)",
                    "description":
                        "ARNs that may assume the roles (the service's instance role, the CI's OIDC role, ...).",
                ],
            ],
            "provider": ["aws": ["region": "${var.region}"]],
            "resource": resources,
            "output": [
                "buckets": [
                    "value": Dictionary(
                        uniqueKeysWithValues: project.environments.map {
                            ($0.pattern.text, "${aws_s3_bucket.\(Self.resourceName($0.pattern.text)).bucket}")
                        })
                ]
            ],
        ]
    }

    public func json() throws -> Data {
        try JSONSerialization.data(withJSONObject: document(), options: [.prettyPrinted, .sortedKeys])
    }

    private func addBucket(_ spec: EnvironmentSpec, _ add: (String, String, [String: Any]) -> Void) {
        let name = Self.resourceName(spec.pattern.text)
        let bucket = "${aws_s3_bucket.\(name).id}"
        add(
            "aws_s3_bucket", name,
            [
                "bucket": "${var.bucket_prefix}-\(Self.bucketSuffix(spec.pattern.text))",
                "tags": ["sluice-project": project.name, "sluice-environment": spec.pattern.text],
            ])
        add("aws_s3_bucket_versioning", name, ["bucket": bucket, "versioning_configuration": ["status": "Enabled"]])
        add(
            "aws_s3_bucket_public_access_block", name,
            [
                "bucket": bucket, "block_public_acls": true, "block_public_policy": true, "ignore_public_acls": true,
                "restrict_public_buckets": true,
            ])
        add(
            "aws_s3_bucket_server_side_encryption_configuration", name,
            ["bucket": bucket, "rule": [["apply_server_side_encryption_by_default": ["sse_algorithm": "aws:kms"]]]])
        let rules = lifecycleRules(spec)
        if !rules.isEmpty {
            add(
                "aws_s3_bucket_lifecycle_configuration", name,
                ["bucket": bucket, "rule": rules, "depends_on": ["aws_s3_bucket_versioning.\(name)"]])
        }
        if spec.protected, let pipeline = pipelineRole {
            add("aws_s3_bucket_policy", name, ["bucket": bucket, "policy": protectedPolicy(name, pipeline: pipeline)])
        }
    }

    /// Zones' retention as rules on older versions of their objects (`ZONE/` prefixes); an environment that
    /// expires (after its period, or its idle period: S3 counts from the objects' age) as an expiry of all.
    func lifecycleRules(_ spec: EnvironmentSpec) -> [[String: Any]] {
        var rules: [[String: Any]] = []
        for zone in project.zones.sorted(by: { $0.order < $1.order }) {
            guard let lifecycle = zone.lifecycle, !lifecycle.keepForever,
                lifecycle.keepDays != nil || lifecycle.keepVersions != nil
            else { continue }
            var expiration: [String: Any] = ["noncurrent_days": max(1, lifecycle.keepDays ?? 1)]
            if let versions = lifecycle.keepVersions { expiration["newer_noncurrent_versions"] = min(100, versions) }
            rules.append([
                "id": "zone-\(zone.name)", "status": "Enabled", "filter": ["prefix": "\(zone.name)/"],
                "noncurrent_version_expiration": expiration,
            ])
        }
        if !spec.protected, let lifecycle = spec.effectiveLifecycle,
            let span = [lifecycle.expireAfter, lifecycle.expireAfterIdle].compactMap({ $0 }).min()
        {
            rules.append([
                "id": "environment-expiry", "status": "Enabled", "filter": ["prefix": ""],
                "expiration": ["days": max(1, Int((span.seconds + 86_399) / 86_400))],
                "noncurrent_version_expiration": ["noncurrent_days": 1],
            ])
        }
        return rules
    }

    /// Writes and deletes refused to everyone but the pipeline's role.
    private func protectedPolicy(_ bucket: String, pipeline: String) -> String {
        let document: [String: Any] = [
            "Version": "2012-10-17",
            "Statement": [
                [
                    "Sid": "OnlyThePipelineWrites", "Effect": "Deny", "Principal": "*",
                    "Action": ["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"],
                    "Resource": "${aws_s3_bucket.\(bucket).arn}/*",
                    "Condition": ["ArnNotEquals": ["aws:PrincipalArn": "${aws_iam_role.role_\(pipeline).arn}"]],
                ]
            ],
        ]
        return Self.text(document)
    }

    private func addRole(_ role: Role, _ add: (String, String, [String: Any]) -> Void) {
        let name = "role_\(role.name.replacingOccurrences(of: "-", with: "_"))"
        let trust: [String: Any] = [
            "Version": "2012-10-17",
            "Statement": [
                ["Effect": "Allow", "Action": "sts:AssumeRole", "Principal": ["AWS": "${var.trusted_principals}"]]
            ],
        ]
        add(
            "aws_iam_role", name,
            [
                "name": "${var.bucket_prefix}-\(role.name)",
                "assume_role_policy": Self.text(trust).replacingOccurrences(
                    of: "\"${var.trusted_principals}\"", with: "${jsonencode(var.trusted_principals)}"),
                "tags": ["sluice-project": project.name, "sluice-role": role.name],
            ])
        let statements = statements(for: role)
        guard !statements.isEmpty else { return }
        add(
            "aws_iam_role_policy", name,
            [
                "name": "sluice-grants", "role": "${aws_iam_role.\(name).id}",
                "policy": Self.text(["Version": "2012-10-17", "Statement": statements]),
            ])
    }

    /// A statement per grant and environment it covers: write and promote put, delete deletes (a zone narrows
    /// it to the zone's prefix); reads get only the datasets the role may read unmasked (`readablePrefixes`).
    func statements(for role: Role) -> [[String: Any]] {
        var statements: [[String: Any]] = []
        for spec in project.environments.sorted(by: { $0.pattern.text < $1.pattern.text }) {
            let bucket = "${aws_s3_bucket.\(Self.resourceName(spec.pattern.text)).arn}"
            let prefixes = readablePrefixes(for: role, in: spec)
            if !prefixes.isEmpty {
                statements.append([
                    "Effect": "Allow", "Action": ["s3:GetObject", "s3:GetObjectVersion"],
                    "Resource": prefixes.map { "\(bucket)/\($0)*" },
                ])
                statements.append([
                    "Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": bucket,
                    "Condition": ["StringLike": ["s3:prefix": prefixes.map { "\($0)*" }]],
                ])
            }
            for grant in role.grants where [.write, .promote, .delete].contains(grant.action) {
                guard grant.environment.matches(spec.pattern.text) else { continue }
                let objects = bucket + "/" + environmentPrefix(spec) + (grant.zone.map { "\($0)/" } ?? "") + "*"
                let actions =
                    grant.action == .delete ? ["s3:DeleteObject", "s3:DeleteObjectVersion"] : ["s3:PutObject"]
                statements.append(["Effect": "Allow", "Action": actions, "Resource": objects])
            }
        }
        return statements
    }

    /// In a pattern's bucket each environment is a prefix of its own (`alice/` of `sandbox/alice`).
    func environmentPrefix(_ spec: EnvironmentSpec) -> String { spec.pattern.isConcrete ? "" : "*/" }

    /// The prefixes (`ZONE/NAME/`, under the environment's own) of the datasets `role` may read in `spec`'s
    /// environments as Sluice decides it — a read grant covering the zone, a classification ceiling reaching the
    /// dataset's — and unmasked: a dataset the role reads only masked (its PII, or a restricted one) is not
    /// readable at the storage layer at all, since a bucket cannot mask a column.
    func readablePrefixes(for role: Role, in spec: EnvironmentSpec) -> [String] {
        project.datasets.values.sorted(by: { $0.name < $1.name }).compactMap { dataset in
            guard storageRead(of: dataset, by: role, in: spec.pattern.text) == .unmasked else { return nil }
            return environmentPrefix(spec) + "\(dataset.name.zone)/\(dataset.name.name)/"
        }
    }

    /// How `role` reads `dataset` through Sluice in `environment` (in any environment when `nil`): not at all,
    /// only masked (its PII, or a restricted dataset, without `unmask`), or as it is.
    enum StorageRead { case none, maskedOnly, unmasked }

    func storageRead(of dataset: Dataset, by role: Role, in environment: String?) -> StorageRead {
        let name = dataset.name
        let covered = { (action: Action) in
            role.grants.contains {
                $0.action == action && (environment.map($0.environment.matches) ?? true)
                    && ($0.zone ?? name.zone) == name.zone
            }
        }
        let level = dataset.classification ?? .restricted
        guard covered(.read), level <= role.classification else { return .none }
        return covered(.unmask) || (level != .restricted && dataset.pii.isEmpty) ? .unmasked : .maskedOnly
    }

    /// Datasets each role reads through Sluice only masked, so that the export gives it no storage access to
    /// them: role name → dataset names (for `sluice plan`'s findings and the export's own comment).
    public func maskedOnly() -> [String: [String]] {
        var result: [String: [String]] = [:]
        for role in project.roles.values {
            for dataset in project.datasets.values where storageRead(of: dataset, by: role, in: nil) == .maskedOnly {
                result[role.name, default: []].append(dataset.name.description)
            }
        }
        return result.mapValues { $0.sorted() }
    }

    static func text(_ object: Any) -> String {
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
