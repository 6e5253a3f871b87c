import Foundation
import SluiceTestSupport
import Testing

/// Issue 15 item 3 (Terraform): `sluice export terraform` mirrors the project's environments, lifecycles and
/// grants as buckets and IAM roles, and the real `terraform` CLI (from this machine image, offline, with the AWS
/// provider folder it ships) initialises, validates and plans it.
@Suite struct TerraformExportTests {
    static let terraform = ExternalTool(["/usr/local/bin/terraform", "/usr/bin/terraform"])
    static let plugins = "/opt/tf-plugins"
    static var available: Bool {
        terraform != nil && FileManager.default.fileExists(atPath: plugins + "/registry.terraform.io/hashicorp/aws")
    }

    static func exported() throws -> (CLIProject, URL, [String: Any]) {
        let project = try CLIProject()
        let out = project.folder.appendingPathComponent("terraform")
        let result = try project.sluice.run(["export", "terraform", "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        let data = try Data(contentsOf: out.appendingPathComponent("sluice.tf.json"))
        return (project, out, try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any]))
    }

    static func resources(_ document: [String: Any], _ type: String) -> [String: [String: Any]] {
        ((document["resource"] as? [String: Any])?[type] as? [String: [String: Any]]) ?? [:]
    }

    static func policy(_ text: Any?) throws -> [[String: Any]] {
        let document = try JSONSerialization.jsonObject(with: Data(((text as? String) ?? "").utf8)) as? [String: Any]
        return document?["Statement"] as? [[String: Any]] ?? []
    }

    @Test func bucketsAndRolesMirrorTheProject() throws {
        let (_, _, document) = try Self.exported()
        // staging/* is where write-audit-publish runs stage, declared or not.
        #expect(
            Set(Self.resources(document, "aws_s3_bucket").keys) == [
                "env_prod", "env_dev", "env_sandbox", "env_staging",
            ])
        for (_, block) in Self.resources(document, "aws_s3_bucket_public_access_block") {
            #expect(block["block_public_acls"] as? Bool == true && block["restrict_public_buckets"] as? Bool == true)
        }
        #expect(Self.resources(document, "aws_s3_bucket_versioning").count == 4)
        // prod: kept forever, writable only by the pipeline's role.
        let lifecycles = Self.resources(document, "aws_s3_bucket_lifecycle_configuration")
        let sandbox = try #require(lifecycles["env_sandbox"]?["rule"] as? [[String: Any]])
        #expect(sandbox.contains { ($0["expiration"] as? [String: Any])?["days"] as? Int == 7 }, "expire_after_idle 7d")
        let staged = try #require(sandbox.first { $0["id"] as? String == "zone-staged" })
        #expect((staged["noncurrent_version_expiration"] as? [String: Any])?["noncurrent_days"] as? Int == 90)
        #expect((lifecycles["env_prod"]?["rule"] as? [[String: Any]])?.contains { $0["expiration"] != nil } != true)
        let guardPolicy = try Self.policy(Self.resources(document, "aws_s3_bucket_policy")["env_prod"]?["policy"])
        #expect(guardPolicy.first?["Effect"] as? String == "Deny")
        #expect("\(guardPolicy)".contains("aws_iam_role.role_pipeline.arn"))
        #expect(Self.resources(document, "aws_s3_bucket_policy").count == 1, "only protected environments")
        // Grants: the engineer writes dev and sandboxes, never prod; the analyst reads prod's curated zone.
        let policies = Self.resources(document, "aws_iam_role_policy")
        let engineer = "\(try Self.policy(policies["role_engineer"]?["policy"]))"
        #expect(
            engineer.contains("aws_s3_bucket.env_dev.arn")
                && !engineer.contains("env_prod.arn}/*\", \"Action\": [\"s3:PutObject"))
        let engineerWrites = try Self.policy(policies["role_engineer"]?["policy"]).filter {
            ($0["Action"] as? [String])?.contains("s3:PutObject") == true
        }.compactMap { $0["Resource"] as? String }
        // (In a pattern's bucket each environment is a prefix of its own.)
        #expect(Set(engineerWrites) == ["${aws_s3_bucket.env_dev.arn}/*", "${aws_s3_bucket.env_sandbox.arn}/*/*"])
        let analyst = try Self.policy(policies["role_analyst"]?["policy"])
        #expect(
            analyst.flatMap { $0["Resource"] as? [String] ?? [] } == [
                "${aws_s3_bucket.env_prod.arn}/curated/revenue_by_country/*"
            ], "\(analyst)")
        let pipelineWrites = try Self.policy(policies["role_pipeline"]?["policy"]).filter {
            ($0["Action"] as? [String])?.contains("s3:PutObject") == true
        }.compactMap { $0["Resource"] as? String }
        #expect(pipelineWrites.contains("${aws_s3_bucket.env_prod.arn}/*"))
    }

    /// Issue 23 item 3: what each role may read at the storage layer is what Sluice itself lets it read unmasked,
    /// for every dataset in every environment: `sluice cat` as a principal of each role decides, and the
    /// exported IAM policy is evaluated (its Allow statements' resource globs) on the dataset's object keys.
    @Test func storageReadsMatchSluicesOwnDecisions() throws {
        let project = try CLIProject()
        try project.makeTokens()
        try project.ingestCustomers()
        #expect(try project.run(as: "alice", ["ingest", "orders_drop"]).status == 0)
        #expect(try project.run(as: "ci", ["promote", "--from", "dev", "--to", "prod"]).status == 0)
        for environment in ["dev", "prod"] {
            #expect(try project.run(as: "ci", ["run", "daily", "--env", environment]).status == 0)
        }
        #expect(try project.run(as: "alice", ["env", "create", "sandbox/alice", "--from", "dev"]).status == 0)
        let out = project.folder.appendingPathComponent("terraform")
        #expect(try project.sluice.run(["export", "terraform", "--out", out.path]).status == 0)
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("sluice.tf.json")))
                as? [String: Any])
        let policies = Self.resources(document, "aws_iam_role_policy")
        let roles: [(principal: String?, role: String)] = [
            ("ci", "pipeline"), ("alice", "engineer"), ("bob", "analyst"), ("ops", "admin"), (nil, "anonymous"),
        ]
        let buckets = ["dev": "env_dev/", "prod": "env_prod/", "sandbox/alice": "env_sandbox/alice/"]
        var cells = 0
        var wrong: [String] = []
        for (principal, role) in roles {
            let statements = try Self.policy(policies["role_\(role)"]?["policy"])
            for (environment, bucket) in buckets {
                for dataset in ["raw.customers", "raw.orders", "staged.orders", "curated.revenue_by_country"] {
                    let read = try project.run(as: principal, ["cat", dataset, "--env", environment])
                    let sluice = read.status == 0 && !read.stdout.contains("***")
                    let parts = dataset.split(separator: ".")
                    let key =
                        "${aws_s3_bucket.\(bucket.split(separator: "/")[0]).arn}/"
                        + bucket.split(separator: "/").dropFirst().map { "\($0)/" }.joined()
                        + "\(parts[0])/\(parts[1])/part-0"
                    let storage = Self.allows(statements, "s3:GetObject", key)
                    cells += 1
                    if sluice != storage {
                        wrong.append("\(role) \(environment) \(dataset): sluice \(sluice), IAM \(storage)")
                    }
                }
            }
        }
        #expect(cells == 60 && wrong.isEmpty, "\(wrong)")
        let comment = document["//"] as? String ?? ""
        #expect(comment.contains("engineer: raw.customers"), "\(comment)")
    }

    /// Whether an Allow statement of `statements` grants `action` on `resource` (IAM's `*` glob).
    static func allows(_ statements: [[String: Any]], _ action: String, _ resource: String) -> Bool {
        statements.contains { statement in
            let actions = statement["Action"] as? [String] ?? [(statement["Action"] as? String) ?? ""]
            let resources = statement["Resource"] as? [String] ?? [(statement["Resource"] as? String) ?? ""]
            return statement["Effect"] as? String == "Allow" && actions.contains(action)
                && resources.contains { glob($0, resource) }
        }
    }

    static func glob(_ pattern: String, _ text: String) -> Bool {
        let expression =
            "^" + NSRegularExpression.escapedPattern(for: pattern).replacingOccurrences(of: "\\*", with: ".*") + "$"
        return text.range(of: expression, options: .regularExpression) != nil
    }

    @Test(.enabled(if: available, "terraform and its AWS provider folder come with this machine image"))
    func terraformValidatesAndPlansItOffline() throws {
        let (project, out, _) = try Self.exported()
        defer { withExtendedLifetime(project) {} }
        // Dummy credentials, and no call to AWS: the plan is built, not checked against an account.
        try Data(
            #"{"provider": {"aws": {"access_key": "dummy", "secret_key": "dummy", "skip_credentials_validation": true, "skip_requesting_account_id": true, "skip_metadata_api_check": true}}}"#
                .utf8
        ).write(to: out.appendingPathComponent("provider_override.tf.json"))
        let terraform = try #require(Self.terraform)
        func run(_ arguments: [String]) throws -> (Int32, String) {
            try terraform.run(["-chdir=\(out.path)"] + arguments, environment: ["TF_CLI_CONFIG_FILE": "/dev/null"])
        }
        let (initStatus, initOutput) = try run([
            "init", "-backend=false", "-plugin-dir=\(Self.plugins)", "-input=false", "-no-color",
        ])
        #expect(initStatus == 0, "\(initOutput)")
        let (validStatus, validation) = try run(["validate", "-json"])
        #expect(validStatus == 0, "\(validation)")
        #expect(validation.contains(#""valid": true"#), "\(validation)")
        let (planStatus, plan) = try run([
            "plan", "-refresh=false", "-input=false", "-lock=false", "-no-color",
            #"-var=trusted_principals=["arn:aws:iam::123456789012:root"]"#,
        ])
        #expect(planStatus == 0, "\(plan.suffix(3000))")
        #expect(plan.contains("Plan: 31 to add, 0 to change, 0 to destroy."), "\(plan.suffix(500))")
    }
}
