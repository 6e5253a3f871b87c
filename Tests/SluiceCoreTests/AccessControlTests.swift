import Foundation
import Testing

@testable import SluiceCore

/// Each role is denied what it lacks — above all every command that could change prod — and every
/// denial exits 3 and lands in the audit chain.
@Suite struct AccessControlTests {
    func expectDenied(
        _ harness: Harness, _ fragment: String, sourceLocation: Testing.SourceLocation = #_sourceLocation,
        _ body: () async throws -> Void
    ) async throws {
        let before = await harness.metadata.auditEvents().count
        do {
            try await body()
            Issue.record("expected access denied (\(fragment))", sourceLocation: sourceLocation)
        } catch let error as AccessDenied {
            #expect(error.status == .denied, sourceLocation: sourceLocation)
            #expect(error.description.contains(fragment), "\(error.description)", sourceLocation: sourceLocation)
            let events = await harness.metadata.auditEvents()
            #expect(events.count == before + 1, sourceLocation: sourceLocation)
            #expect(events.last?.draft.outcome == .denied, sourceLocation: sourceLocation)
        }
    }

    /// dev holding data, so that there is something to promote.
    func harnessWithDev() async throws -> Harness {
        let harness = try Harness()
        _ = try await harness.workspace("alice").ingest(source: "orders_drop", environment: "dev")
        return harness
    }

    @Test func engineerWritesDevButNeverProd() async throws {
        let harness = try await harnessWithDev()
        let alice = harness.workspace("alice")
        try await expectDenied(harness, "alice may not write prod:raw") {
            _ = try await alice.ingest(source: "orders_drop", environment: "prod")
        }
        try await expectDenied(harness, "alice may not promote prod") {
            _ = try await alice.promote(from: "dev", to: "prod")
        }
        try await expectDenied(harness, "alice may not write prod") {
            _ = try await alice.createEnvironment("prod", from: "dev", ttl: nil)
        }
        _ = try await alice.createEnvironment("sandbox/alice-exp", from: "dev", ttl: nil)
    }

    @Test func pipelineCannotWriteProdExceptByPromotion() async throws {
        let harness = try await harnessWithDev()
        let ci = harness.workspace("ci")
        try await expectDenied(harness, "prod is protected; no command writes it directly") {
            _ = try await ci.ingest(source: "orders_drop", environment: "prod")
        }
        try await expectDenied(harness, "prod is protected; it is created and moved only by sluice promote") {
            _ = try await ci.createEnvironment("prod", from: "dev", ttl: nil)
        }
        let result = try await ci.promote(from: "dev", to: "prod")
        #expect(!result.upToDate)
        #expect(await harness.metadata.environment("prod")?.head == result.commit)
    }

    @Test func claimedIdentityCannotChangeProtectedEnvironment() async throws {
        let harness = try await harnessWithDev()
        try await expectDenied(
            harness, "prod is protected and accepts changes only from a token-authenticated principal"
        ) {
            _ = try await harness.workspace("ci", .claimed).promote(from: "dev", to: "prod")
        }
        #expect(await harness.metadata.environment("prod") == nil)
    }

    @Test func analystReadsOnlyCuratedProd() async throws {
        let harness = try await harnessWithDev()
        _ = try await harness.workspace("ci").promote(from: "dev", to: "prod")
        let bob = harness.workspace("bob")
        try await expectDenied(harness, "bob may not read prod:raw") {
            try await bob.cat("raw.orders", in: "prod") { _ in }
        }
        try await expectDenied(harness, "bob may not read dev") {
            _ = try await bob.datasets(in: "dev")
        }
        try await expectDenied(harness, "bob may not write dev:raw") {
            _ = try await bob.ingest(source: "orders_drop", environment: "dev")
        }
        try await expectDenied(harness, "bob may not promote prod") {
            _ = try await bob.promote(from: "dev", to: "prod")
        }
    }

    @Test func adminManagesTokensButCannotWriteData() async throws {
        let harness = try await harnessWithDev()
        let ops = harness.workspace("ops")
        try await expectDenied(harness, "ops may not write dev:raw") {
            _ = try await ops.ingest(source: "orders_drop", environment: "dev")
        }
        try await expectDenied(harness, "ops may not promote prod") {
            _ = try await ops.promote(from: "dev", to: "prod")
        }
        try await expectDenied(harness, "ops may not write sandbox/x") {
            _ = try await ops.createEnvironment("sandbox/x", from: "dev", ttl: nil)
        }
    }

    /// Issue 10 item 4: `admin` on some environments is not admin of the store, even if a policy held it.
    @Test func aScopedAdminGrantManagesNoTokens() async throws {
        let harness = try Harness()
        let bootstrap = try await harness.workspace("ops").createToken(for: "ops")
        #expect(bootstrap.bootstrap)
        let scoped = Identity(
            principal: "mallory",
            role: Role(
                name: "sandbox-admin", grants: [try Grant.parse("admin:sandbox/*").get()],
                location: SourceLocation(file: "t", line: 1, column: 1)),
            authentication: .token, tokenID: "t")
        try await expectDenied(harness, "mallory may not create tokens") {
            _ = try await harness.workspace(scoped).createToken(for: "ci")
        }
        try await expectDenied(harness, "mallory may not revoke tokens") {
            try await harness.workspace(scoped).revokeToken(id: bootstrap.id)
        }
        try await expectDenied(harness, "mallory may not apply the access policy") {
            _ = try await harness.workspace(scoped).applyPolicy()
        }
    }

    @Test func anonymousGetsNothingUnlessAnAnonymousRoleIsDeclared() async throws {
        let harness = try await harnessWithDev()
        let anonymous = harness.workspace(harness.anonymous)
        try await expectDenied(harness, "anonymous may not read dev") {
            _ = try await anonymous.datasets(in: "dev")
        }
        try await expectDenied(harness, "anonymous may not write dev:raw") {
            _ = try await anonymous.ingest(source: "orders_drop", environment: "dev")
        }
        try await expectDenied(harness, "anonymous may not promote prod") {
            _ = try await anonymous.promote(from: "dev", to: "prod")
        }
    }

    @Test func tokenBootstrapAndAdministration() async throws {
        let harness = try Harness()
        let anyone = harness.workspace(harness.anonymous)
        try await expectDenied(harness, "the first token must be for an admin, not alice") {
            _ = try await anyone.createToken(for: "alice")
        }
        let opsToken = try await anyone.createToken(for: "ops")
        #expect(opsToken.bootstrap)
        #expect(opsToken.secret.hasPrefix("sluice_"))
        // The store keeps only the hash.
        let stored = await harness.metadata.tokens()
        #expect(stored.count == 1 && stored[0].secretHash != opsToken.secret)

        try await expectDenied(harness, "anonymous may not create tokens") {
            _ = try await anyone.createToken(for: "ops")
        }
        try await expectDenied(harness, "needs a token-authenticated admin") {
            _ = try await harness.workspace("ops", .claimed).createToken(for: "alice")
        }
        let resolver = IdentityResolver(policy: AppliedPolicy(project: harness.project), metadata: harness.metadata)
        let ops = try await resolver.resolve(token: opsToken.secret, osUser: nil)
        #expect(ops.principal == "ops" && ops.authentication == .token)
        let aliceToken = try await harness.workspace(ops).createToken(for: "alice")
        #expect(!aliceToken.bootstrap)
        let alice = try await resolver.resolve(token: aliceToken.secret, osUser: "ops")
        #expect(alice.principal == "alice", "a token wins over the OS user name")
        try await expectDenied(harness, "alice may not revoke tokens") {
            try await harness.workspace(alice).revokeToken(id: aliceToken.id)
        }
        try await harness.workspace(ops).revokeToken(id: aliceToken.id)
        await #expect(throws: AccessDenied.self) {
            _ = try await resolver.resolve(token: aliceToken.secret, osUser: nil)
        }
        await #expect(throws: AccessDenied.self) { _ = try await resolver.resolve(token: "sluice_forged", osUser: nil) }
    }

    @Test func osUserNameIsAClaimedIdentity() async throws {
        let harness = try Harness()
        let resolver = IdentityResolver(policy: AppliedPolicy(project: harness.project), metadata: harness.metadata)
        let claimed = try await resolver.resolve(token: nil, osUser: "alice")
        #expect(claimed.principal == "alice" && claimed.authentication == .claimed)
        let stranger = try await resolver.resolve(token: nil, osUser: "mallory")
        #expect(stranger.principal == nil && stranger.authentication == .anonymous)
    }
}
