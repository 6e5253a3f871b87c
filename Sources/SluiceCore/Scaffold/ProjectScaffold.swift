import Foundation

/// The files `sluice init` writes: a small project that validates as it is and shows every section.
public enum ProjectScaffold {
    public static func projectYAML(name: String) -> String {
        """
        # Sluice project: see `sluice validate` for what every key means when something is off.
        project: \(name)
        zones:                                  # data flows only forward: raw → staged → curated
          - { name: raw, lifecycle: { keep: forever } }
          - { name: staged, lifecycle: { keep_versions: 10, keep_days: 90 } }
          - { name: curated, lifecycle: { keep_versions: 30, keep_days: 365 } }
        quarantine: { lifecycle: { keep_days: 30 } }   # batches the quality gates held back
        runs: { lifecycle: { keep_days: 90 } }         # run records and their logs
        environments:
          prod: { protected: true }             # moved only by `sluice promote`, with a token
          dev: { lifecycle: { expire_after_idle: 30d } }
          "sandbox/*": { lifecycle: { expire_after_idle: 7d } }
        roles:                                  # grant = action:environment[:zone]; `sluice apply` puts changes in force
          pipeline: { grants: ["read:*", "write:*", "promote:prod", "delete:*"] }   # delete: sluice gc
          engineer: { grants: ["read:*", "write:dev", "write:sandbox/*"] }
          analyst: { grants: ["read:prod:curated"] }
          admin: { grants: ["read:*", "admin:*"] }
          # Anyone without a token: reads public and internal data, nothing else (PII is masked for every
          # role without an unmask grant, such as "unmask:prod:curated").
          anonymous: { grants: ["read:*"], classification: internal }
        principals:
          ci: { role: pipeline }
          alice: { role: engineer }
          bob: { role: analyst }
          ops: { role: admin }
        service: { run_as: ci }                 # whom `sluice serve` runs scheduled pipelines as
        sources:
          customers_drop: { path: landing/customers/*.csv, format: csv, into: raw.customers, mode: snapshot }  # a full list each time
          orders_drop: { path: landing/orders/*.csv, format: csv, into: raw.orders }   # mode: append, each file lands once
        datasets:
          raw.customers:
            owner: data-eng@example.com
            classification: confidential
            pii: [email]
            columns:
              customer_id: { type: int, required: true, unique: true }
              name: { type: string, required: true }
              email: { type: string, pattern: '^[^@\\s]+@[^@\\s]+$' }
              country: { type: string, min_length: 2, max_length: 2 }
              signed_up_at: { type: timestamp, required: true }
          raw.orders:
            owner: data-eng@example.com
            classification: confidential
            columns:
              order_id: { type: int, required: true, unique: true }
              customer_id: { type: int, required: true }
              amount: { type: decimal, min: 0, max: 10000 }
              status: { type: string, in: [new, paid, shipped, cancelled] }
              ordered_at: { type: timestamp, required: true }
            checks:
              - { row_count: { min: 1 } }
              - { references: { column: customer_id, dataset: raw.customers, to: customer_id } }
            on_invalid: quarantine_rows
            max_invalid_ratio: 0.01
          staged.orders:
            owner: data-eng@example.com
            classification: internal
          curated.revenue_by_country:
            owner: analytics@example.com
            classification: internal
            columns:
              country: { type: string, required: true }
              revenue: { type: decimal, scale: 2, min: 0 }   # money: written rounded half-even to the cent
              orders: { type: int, min: 1 }
        pipelines:
          daily:
            schedule: "0 6 * * *"
            steps:
              clean_orders:
                sql: models/clean_orders.sql
                inputs: [raw.orders]
                output: staged.orders
                tests:                          # `sluice test` runs them on fixtures, in a throwaway store
                  - name: drops_cancelled
                    inputs: { raw.orders: tests/clean_orders/orders.csv }
                    expect: { staged.orders: tests/clean_orders/expected.csv }
              revenue:
                sql: models/revenue_by_country.sql
                inputs: [staged.orders, raw.customers]
                output: curated.revenue_by_country
                tests:
                  - name: sums_per_country
                    inputs:
                      staged.orders: tests/clean_orders/expected.csv
                      raw.customers: tests/revenue/customers.csv
                    expect: { curated.revenue_by_country: tests/revenue/expected.csv }

        """
    }

    public static let files: [String: String] = [
        "models/clean_orders.sql": """
        SELECT order_id, customer_id, CAST(amount AS REAL) AS amount, status, ordered_at
        FROM raw.orders
        WHERE status <> 'cancelled'

        """,
        "models/revenue_by_country.sql": """
        SELECT c.country, SUM(o.amount) AS revenue, COUNT(*) AS orders
        FROM staged.orders AS o JOIN raw.customers AS c ON c.customer_id = o.customer_id
        GROUP BY c.country
        ORDER BY c.country

        """,
        "tests/clean_orders/orders.csv": """
        order_id,customer_id,amount,status,ordered_at
        1,1,10.50,paid,2026-11-24T10:00:00Z
        2,2,5,cancelled,2026-11-24T11:00:00Z
        3,1,2.25,new,2026-11-24T12:00:00Z

        """,
        "tests/clean_orders/expected.csv": """
        order_id,customer_id,amount,status,ordered_at
        1,1,10.5,paid,2026-11-24T10:00:00.000000Z
        3,1,2.25,new,2026-11-24T12:00:00.000000Z

        """,
        "tests/revenue/customers.csv": """
        customer_id,name,email,country,signed_up_at
        1,Ada,ada@example.com,GB,2026-01-01T00:00:00Z
        2,Bo,bo@example.com,SE,2026-01-02T00:00:00Z

        """,
        "tests/revenue/expected.csv": """
        country,revenue,orders
        GB,12.75,2

        """,
        ".gitignore": """
        .sluice/
        landing/

        """,
        "landing/customers/.keep": "",
        "landing/orders/.keep": "",
    ]

    /// A project name derived from a folder name, made safe.
    public static func name(for folder: URL) -> String {
        let cleaned = folder.lastPathComponent.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        let text = String(cleaned).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        return NameRules.isIdentifier(text) ? text : "project"
    }
}
