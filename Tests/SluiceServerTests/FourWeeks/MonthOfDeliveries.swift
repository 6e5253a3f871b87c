import Foundation
import SluiceTestSupport

/// A month of deliveries for the scaffolded project (`sluice init`), deterministic: one orders file a day
/// (101–130 orders), with the columns reordered every third day, a bad row on some days, one day with too many
/// bad rows (the batch is refused), one day in CRLF with quoted fields, one day over the first ratio; and the
/// customer list as it changes (40 customers, then customer 7 gone, then 45).
enum MonthOfDeliveries {
    static let header = ["order_id", "customer_id", "amount", "status", "ordered_at"]
    static let statuses = ["new", "paid", "shipped", "cancelled"]
    static let countries = ["GB", "FR", "DE", "US", "JP"]

    /// The file name of day `day`'s orders.
    static func name(_ day: Int) -> String { String(format: "2026-11-%02d.csv", day) }

    /// Day `day`'s orders file.
    static func orders(day: Int) -> String {
        let columns = day % 3 == 0 ? header.reversed() : header
        let crlf = day == 25
        var lines = [columns.joined(separator: ",")]
        for index in 0..<(101 + (day * 7) % 30) {
            let row = order(day: day, index: index, quoted: crlf)
            lines.append(columns.map { row[$0]! }.joined(separator: ","))
        }
        let end = crlf ? "\r\n" : "\n"
        return lines.joined(separator: end) + end
    }

    /// One order by column name; the days' deliberate faults included.
    static func order(day: Int, index: Int, quoted: Bool) -> [String: String] {
        var random = SplitMix(seed: UInt64(day * 1_000 + index))
        let cents = Int(random.next() % 500_000)
        let count = day >= 16 ? 45 : 40
        var customer = 1 + (day * 13 + index * 7) % count
        if day == 15 && customer == 7 { customer = 8 }
        var row = [
            "order_id": "\(day * 1_000 + index)",
            "customer_id": "\(customer)",
            "amount": index % 9 == 0 ? "\(cents / 100)" : String(format: "%d.%02d", cents / 100, cents % 100),
            "status": statuses[(index + day) % 4],
            "ordered_at": String(format: "2026-11-%02dT%02d:%02d:00Z", day, index % 24, index % 60),
        ]
        if [5, 12, 19].contains(day) && index == 3 { row["amount"] = "-3.00" }
        if day == 6 && index == 4 { row["customer_id"] = "999" }
        if day == 10 && index % 10 == 0 { row["status"] = "lost" }
        if day == 25 && index == 5 { row["ordered_at"] = "2026-13-45T00:00:00Z" }
        if day == 26 && index % 33 == 1 { row["amount"] = "20000" }
        if quoted {
            row["status"] = "\"\(row["status"]!)\""
            row["ordered_at"] = "\"\(row["ordered_at"]!)\""
        }
        return row
    }

    /// The customer list holding `ids`.
    static func customers(_ ids: [Int]) -> String {
        "customer_id,name,email,country,signed_up_at\n"
            + ids.map { id in
                "\(id),Customer \(id),c\(id)@example.com,\(countries[id % countries.count]),2026-01-01T00:00:00Z\n"
            }.joined()
    }
}
