import Foundation
import SluiceCore
import SluiceRunner
import Testing

/// Issue 11 item 3: a `references` check between two datasets the same run writes sees the versions that
/// land together in one commit, whichever step ends first, and a step reused from the cache is checked too.
@Suite struct SameRunReferencesTests {
    /// `customers` keeps the ids of orders with a positive amount; `orders` (no inputs, so it is cached
    /// from the second run on) names customers 1 and 2. The two steps do not depend on each other.
    static func files() -> [String: String] {
        [
            "sluice.yaml": RunnerHarness.yaml(
                pipeline: """
                      both:
                        steps:
                          customers: { sql: models/customers.sql, inputs: [raw.orders], output: staged.customers }
                          orders:
                            command: [sh, -c, 'printf "id,customer_id\\n10,1\\n11,2\\n" > "$SLUICE_OUTPUT_STAGED_ORDERS"']
                            output: staged.orders
                    """,
                datasets: """
                      staged.customers:
                        owner: t
                        classification: internal
                        columns:
                          customer_id: { type: int, required: true, unique: true }
                      staged.orders:
                        owner: t
                        classification: internal
                        columns:
                          id: { type: int, required: true, unique: true }
                          customer_id: { type: int, required: true }
                        checks:
                          - { references: { column: customer_id, dataset: staged.customers, to: customer_id } }
                    """),
            "models/customers.sql": "SELECT id AS customer_id FROM raw.orders WHERE amount > 0 ORDER BY id\n",
        ]
    }

    @Test func theFirstRunOnAFreshStoreChecksAgainstWhatItWrites() async throws {
        let harness = try RunnerHarness(files: Self.files())
        try await harness.ingest("id,amount\n1,5\n2,7\n")
        let run = try await harness.runner().run("both", options: RunOptions(environment: "dev"))
        #expect(run.status == .succeeded)
        #expect(try await harness.read("staged.orders") == "id,customer_id\n10,1\n11,2\n")
    }

    @Test(arguments: [true, false])
    func anOutputNamingACustomerTheSameRunRemovedDoesNotLand(useCache: Bool) async throws {
        let harness = try RunnerHarness(files: Self.files())
        try await harness.ingest("id,amount\n1,5\n2,7\n")
        _ = try await harness.runner().run("both", options: RunOptions(environment: "dev"))
        let before = try await harness.head()

        // Customer 2 goes in this run; `orders` still names it (reused from the cache, or made again).
        try await harness.ingest("id,amount\n1,5\n2,0\n")
        let afterIngest = try await harness.head()
        #expect(afterIngest != before)
        let error = await #expect(throws: RunFailed.self) {
            try await harness.runner().run("both", options: RunOptions(environment: "dev", useCache: useCache))
        }
        let failed = try #require(error?.run)
        #expect(failed.step("customers")?.status == .succeeded)
        let orders = try #require(failed.step("orders"))
        #expect(orders.status == .failed)
        #expect(orders.message?.contains("references(customer_id→staged.customers.customer_id)") == true)
        #expect(try await harness.head() == afterIngest, "nothing of the failed run landed")
        #expect(try await harness.read("staged.customers") == "customer_id\n1\n2\n")
    }
}
