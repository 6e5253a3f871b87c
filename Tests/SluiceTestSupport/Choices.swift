/// Draws decisions from a list of generated numbers (the property library generates the list), so one list
/// is one case, and a case is the same on every machine.
public struct Choices {
    private let values: [Int]
    private var index = 0

    public init(_ values: [Int]) { self.values = values }

    public var exhausted: Bool { index >= values.count }

    /// A number in `0..<bound` (0 once the list is used up).
    public mutating func next(_ bound: Int) -> Int {
        guard bound > 1, index < values.count else {
            index += 1
            return 0
        }
        defer { index += 1 }
        return values[index] % bound
    }

    public mutating func pick<T>(_ items: [T]) -> T { items[next(items.count)] }

    /// True about one time in `odds`.
    public mutating func chance(_ odds: Int) -> Bool { next(odds) == 0 }
}
