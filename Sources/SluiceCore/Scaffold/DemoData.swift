import Foundation

/// Deterministic generated data for the demo: customers and their orders.
public enum DemoData {
    /// A small linear congruential generator so the demo data is the same on every machine.
    struct Generator {
        var state: UInt64

        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    static let firstNames = [
        "Ada", "Grace", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Frances", "Edsger", "Radia",
    ]
    static let lastNames = [
        "Lovelace", "Hopper", "Torvalds", "Hamilton", "Thompson", "Liskov", "Ritchie", "Allen", "Dijkstra", "Perlman",
    ]
    static let countries = ["DE", "FR", "GB", "NL", "SE", "US", "JP", "BR"]
    static let statuses = ["new", "paid", "paid", "shipped", "shipped", "shipped", "cancelled"]

    public static func customersCSV(count: Int) -> String {
        var generator = Generator(state: 42)
        var lines = ["customer_id,name,email,country,signed_up_at"]
        for id in 1...count {
            let first = firstNames[generator.next(firstNames.count)]
            let last = lastNames[generator.next(lastNames.count)]
            let country = countries[generator.next(countries.count)]
            let day = 1 + generator.next(28)
            lines.append(
                "\(id),\(first) \(last),\(first.lowercased()).\(last.lowercased())\(id)@example.com,\(country),2026-0\(1 + generator.next(9))-\(String(format: "%02d", day))T09:00:00Z"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func ordersCSV(count: Int, customers: Int) -> String {
        var generator = Generator(state: 7)
        var lines = ["order_id,customer_id,amount,status,ordered_at"]
        for id in 1...count {
            let cents = 500 + generator.next(50_000)
            let status = statuses[generator.next(statuses.count)]
            let day = 1 + generator.next(24)
            let hour = generator.next(24)
            lines.append(
                "\(id),\(1 + generator.next(customers)),\(cents / 100).\(String(format: "%02d", cents % 100)),\(status),2026-11-\(String(format: "%02d", day))T\(String(format: "%02d", hour)):15:00Z"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A later delivery of orders with three bad rows among good ones: a negative amount, an unknown
    /// status and an order of a customer that does not exist.
    public static func badDeliveryCSV() -> String {
        var lines = ["order_id,customer_id,amount,status,ordered_at"]
        for id in 3001...3400 { lines.append("\(id),\(1 + id % 200),\(id % 90).50,paid,2026-11-25T08:00:00Z") }
        lines[11] = "3011,12,-4.00,paid,2026-11-25T08:00:00Z"
        lines[101] = "3101,7,12.00,lost,2026-11-25T08:00:00Z"
        lines[201] = "3201,999,30.00,new,2026-11-25T08:00:00Z"
        return lines.joined(separator: "\n") + "\n"
    }
}
