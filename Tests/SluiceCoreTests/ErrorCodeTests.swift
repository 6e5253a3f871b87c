import Foundation
import Testing

@testable import SluiceCore

/// Issue 12 item 0: every error has a stable machine code, and its exit and HTTP statuses follow from it.
@Suite struct ErrorCodeTests {
    /// The published mapping: changing a row breaks scripts and API clients, so it is pinned here.
    static let published: [(ErrorCode, String, Int32, Int)] = [
        (.usage, "usage", 2, 400), (.notFound, "not_found", 2, 404), (.invalidProject, "invalid_project", 2, 422),
        (.unauthenticated, "unauthenticated", 3, 401), (.accessDenied, "access_denied", 3, 403),
        (.conflict, "conflict", 4, 409), (.failed, "failed", 1, 422), (.gateFailed, "gate_failed", 1, 422),
        (.runFailed, "run_failed", 1, 422), (.runCancelled, "run_cancelled", 1, 409),
        (.storageFull, "storage_full", 1, 507), (.tampered, "tampered", 1, 500), (.internal, "internal", 70, 500),
        (.unavailable, "unavailable", 69, 503), (.tooLarge, "too_large", 2, 413),
        (.rateLimited, "rate_limited", 69, 429),
    ]

    @Test func theMappingIsStable() {
        #expect(Self.published.count == ErrorCode.allCases.count, "a new code needs its row here")
        for (code, name, exit, http) in Self.published {
            #expect(code.rawValue == name)
            #expect(code.exitStatus.rawValue == exit, "\(name)")
            #expect(code.httpStatus == http, "\(name)")
        }
    }

    /// Each error type's code agrees with the exit status it has always had.
    @Test func errorsCarryCodesThatAgreeWithTheirExitStatus() {
        let identity = Identity(principal: "x", role: nil, authentication: .token, tokenID: nil)
        let report = ValidationReport(
            dataset: "raw.t", files: [], rows: 0, validRows: 0, invalidRows: 0, batchProblems: [], checks: [],
            checkedAt: Timestamp(milliseconds: 0))
        let errors: [(any SluiceError, ErrorCode)] = [
            (UsageError("bad"), .usage), (UsageError.notFound("no dataset raw.x"), .notFound),
            (AccessDenied(identity: identity, message: "m", remedy: "r"), .accessDenied),
            (ConflictError("moved"), .conflict), (FailureError("failed"), .failed),
            (GateFailed(report: report, reason: "r", quarantineID: nil), .gateFailed),
            (ProjectError([]), .invalidProject), (InternalError("bug"), .internal),
        ]
        for (error, code) in errors {
            #expect(error.code == code, "\(type(of: error))")
            #expect(error.code.exitStatus == error.status, "\(type(of: error))")
        }
    }

    /// Unknown names are `not_found` (HTTP 404), not a generic usage error.
    @Test func unknownNamesAreNotFound() async throws {
        let harness = try Harness()
        let alice = harness.workspace("alice")
        for attempt in [
            { _ = try await alice.runRecord("r-nope") },
            { _ = try await alice.ingest(source: "nope", environment: "dev") },
            { _ = try await alice.catQuarantine("q-nope") { _ in } },
        ] as [() async throws -> Void] {
            do {
                try await attempt()
                Issue.record("expected an error")
            } catch let error as SluiceError {
                #expect(error.code == .notFound, "\(error)")
            }
        }
    }
}
