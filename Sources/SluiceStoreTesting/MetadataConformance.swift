import Foundation
import SluiceCore

/// The contract every `MetadataStore` backend meets, as checks a backend's tests run, each on a fresh store:
/// every requirement of every port (`RecordingMetadataStore.requirements`; the coverage is checked), the
/// compare-and-swap of refs, one winner among concurrent writers, an audit event appended with its change or
/// not at all, paging, claims, the outbox, and the object marks and deletion leases garbage collection relies on.
///
///     @Test(arguments: MetadataConformance.checks) func conforms(_ check: ConformanceCheck<any MetadataStore>)
///         async throws { try await check.run(on: MyStore()) }
public enum MetadataConformance {
    public static let checks: [ConformanceCheck<any MetadataStore>] =
        [
            ConformanceCheck("auditTextIsSealedExactlyAsStored") { try await auditTextIsSealedExactlyAsStored($0) },
            ConformanceCheck("theFirstAuditOfAnActionIsAppendedOnce") {
                try await theFirstAuditOfAnActionIsAppendedOnce($0)
            },
            ConformanceCheck("aGateResultIsKeptWithItsJudgement") { try await aGateResultIsKeptWithItsJudgement($0) },
            ConformanceCheck("refsMoveOnlyByCompareAndSwap") { try await refsMoveOnlyByCompareAndSwap($0) },
            ConformanceCheck("concurrentMovesFromOneHeadHaveOneWinner") {
                try await concurrentMovesFromOneHeadHaveOneWinner($0)
            },
            ConformanceCheck("createEnvironmentRefusesExistingName") {
                try await createEnvironmentRefusesExistingName($0)
            },
            ConformanceCheck("versionsAndCommitsAreIdempotent") { try await versionsAndCommitsAreIdempotent($0) },
            ConformanceCheck("auditChainLinksEveryEvent") { try await auditChainLinksEveryEvent($0) },
            ConformanceCheck("tokensStoreHashesAndRevoke") { try await tokensStoreHashesAndRevoke($0) },
            ConformanceCheck("aRefMovesWithItsAuditEventOrNotAtAll") {
                try await aRefMovesWithItsAuditEventOrNotAtAll($0)
            },
            ConformanceCheck("theFirstTokenIsSavedOnceWithItsAuditEvent") {
                try await theFirstTokenIsSavedOnceWithItsAuditEvent($0)
            },
            ConformanceCheck("theLatestAuditEventOfAnActionIsFound") {
                try await theLatestAuditEventOfAnActionIsFound($0)
            },
            ConformanceCheck("runRecordsAreReplacedByIdAndListedNewestFirst") {
                try await runRecordsAreReplacedByIdAndListedNewestFirst($0)
            },
            ConformanceCheck("environmentsAreDeletedOnlyAsTheyWereSeen") {
                try await environmentsAreDeletedOnlyAsTheyWereSeen($0)
            },
            ConformanceCheck("lineageKeepsTheFirstRecordAndFindsConsumers") {
                try await lineageKeepsTheFirstRecordAndFindsConsumers($0)
            },
            ConformanceCheck("eachDestinationInOrderOneAtATime") { try await eachDestinationInOrderOneAtATime($0) },
            ConformanceCheck("aResendReplacesTheOneNotYetTried") { try await aResendReplacesTheOneNotYetTried($0) },
            ConformanceCheck("transitionsApplyOnceAcrossRacers") { try await transitionsApplyOnceAcrossRacers($0) },
            ConformanceCheck("runsPageNewestFirst") { try await runsPageNewestFirst($0) },
            ConformanceCheck("auditEventsPageNewestFirst") { try await auditEventsPageNewestFirst($0) },
            ConformanceCheck("aTickIsClaimedOnce") { try await aTickIsClaimedOnce($0) },
            ConformanceCheck("aLandingClaimGivenBackCanBeClaimedAgain") {
                try await aLandingClaimGivenBackCanBeClaimedAgain($0)
            },
            ConformanceCheck("historyPagesAlongFirstParents") { try await historyPagesAlongFirstParents($0) },
            ConformanceCheck("checkRunsPageNewestFirst") { try await checkRunsPageNewestFirst($0) },
            ConformanceCheck("versionsAndDatasetHistory") { try await versionsAndDatasetHistory($0) },
        ] + portChecks + markChecks
}
