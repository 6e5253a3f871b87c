extension ProjectLoader {
    static let tableCheckKinds = ["row_count", "unique", "references", "freshness"]

    /// Reads one entry of a dataset's `checks:` list, e.g. `{ row_count: { min: 1 } }`.
    func readTableCheck(_ item: YAMLValue, dataset: Dataset, sink: DiagnosticCollector) -> TableCheck? {
        guard let fields = item.fields("a check of \(dataset.name)", allowed: Self.tableCheckKinds) else { return nil }
        guard fields.count == 1, let (kindName, body) = fields.first else {
            sink.error(
                item.location,
                "each check is a mapping with exactly one of \(Self.tableCheckKinds.joined(separator: ", "))")
            return nil
        }
        let what = "\(kindName) check of \(dataset.name)"
        let columns = Set(dataset.columns.map(\.name))
        func knownColumn(_ column: String, _ location: SourceLocation) -> Bool {
            guard columns.isEmpty || columns.contains(column) else {
                sink.error(
                    location, "\(what) names column \(NameRules.quoted(column)), which \(dataset.name) does not declare"
                )
                return false
            }
            return true
        }
        // `unique: [a, b]` is shorthand for `unique: { columns: [a, b] }`.
        if kindName == "unique", case .sequence = body.node {
            let names = body.stringList(what) ?? []
            guard !names.isEmpty, names.allSatisfy({ knownColumn($0.0, $0.1) }) else { return nil }
            return TableCheck(kind: .unique(columns: names.map(\.0)), severity: .error, location: item.location)
        }
        let allowed: [String]
        switch kindName {
        case "row_count": allowed = ["min", "max", "severity"]
        case "unique": allowed = ["columns", "severity"]
        case "references": allowed = ["column", "dataset", "to", "severity"]
        default: allowed = ["column", "max_age", "severity"]
        }
        guard let options = body.fields(what, allowed: allowed) else { return nil }
        var severity = CheckSeverity.error
        if let value = options["severity"], let text = value.string("severity") {
            guard let parsed = CheckSeverity(rawValue: text) else {
                sink.error(value.location, "severity \(NameRules.quoted(text)) is not one of error, warn")
                return nil
            }
            severity = parsed
        }
        func required(_ key: String) -> YAMLValue? {
            if let value = options[key] { return value }
            sink.error(body.location, "\(what) needs \(key)")
            return nil
        }
        let kind: TableCheckKind
        switch kindName {
        case "row_count":
            let min = options["min"].flatMap { $0.int("min", min: 0) }
            let max = options["max"].flatMap { $0.int("max", min: 0) }
            if min == nil && max == nil {
                sink.error(body.location, "\(what) needs min, max or both")
                return nil
            }
            if let min, let max, min > max {
                sink.error(body.location, "\(what) has min \(min) greater than max \(max)")
                return nil
            }
            kind = .rowCount(min: min, max: max)
        case "unique":
            guard let names = required("columns")?.stringList("columns"), !names.isEmpty,
                names.allSatisfy({ knownColumn($0.0, $0.1) })
            else { return nil }
            kind = .unique(columns: names.map(\.0))
        case "references":
            guard let columnValue = required("column"), let column = columnValue.string("column"),
                knownColumn(column, columnValue.location),
                let datasetValue = required("dataset"), let datasetText = datasetValue.string("dataset")
            else { return nil }
            guard let target = DatasetName(datasetText) else {
                sink.error(datasetValue.location, "\(NameRules.quoted(datasetText)) is not a dataset name (zone.name)")
                return nil
            }
            let targetColumn = options["to"].flatMap { $0.string("to") } ?? column
            kind = .references(column: column, dataset: target, targetColumn: targetColumn)
        default:
            guard let columnValue = required("column"), let column = columnValue.string("column"),
                knownColumn(column, columnValue.location),
                let maxAge = required("max_age")?.timeSpan("max_age")
            else { return nil }
            if let spec = dataset.columns.first(where: { $0.name == column }), ![.timestamp, .date].contains(spec.type)
            {
                sink.error(
                    columnValue.location, "\(what) needs a timestamp or date column; \(column) is \(spec.type.rawValue)"
                )
                return nil
            }
            kind = .freshness(column: column, maxAge: maxAge)
        }
        return TableCheck(kind: kind, severity: severity, location: item.location)
    }
}
