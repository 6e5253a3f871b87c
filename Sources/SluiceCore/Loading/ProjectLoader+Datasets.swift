import Foundation

extension ProjectLoader {
    func readSources(_ value: YAMLValue, sink: DiagnosticCollector) -> [String: Source] {
        guard let entries = value.entries("sources") else { return [:] }
        var sources: [String: Source] = [:]
        for entry in entries {
            guard NameRules.isIdentifier(entry.key) else {
                sink.error(
                    entry.keyLocation,
                    "source name \(NameRules.quoted(entry.key)) must be lower-case letters, digits, _ and -, starting with a letter"
                )
                continue
            }
            let allowed = ["path", "format", "into", "delimiter", "mode", "description"]
            guard let fields = entry.value.fields("source \(entry.key)", allowed: allowed) else { continue }
            guard let pathValue = fields["path"], let path = pathValue.string("path") else {
                if fields["path"] == nil {
                    sink.error(entry.keyLocation, "source \(entry.key) needs a path (a file or glob under the project)")
                }
                continue
            }
            if path.hasPrefix("/") || path.split(separator: "/").contains("..") {
                sink.error(
                    pathValue.location,
                    "source path \(NameRules.quoted(path)) must stay inside the project (no leading / and no ..)")
            }
            guard let intoValue = fields["into"], let intoText = intoValue.string("into") else {
                if fields["into"] == nil {
                    sink.error(entry.keyLocation, "source \(entry.key) needs into: the dataset it feeds")
                }
                continue
            }
            guard let into = DatasetName(intoText) else {
                sink.error(intoValue.location, "into \(NameRules.quoted(intoText)) is not a dataset name (zone.name)")
                continue
            }
            var format = DataFormat.csv
            if let formatValue = fields["format"], let text = formatValue.string("format") {
                if let parsed = DataFormat(rawValue: text) {
                    format = parsed
                } else {
                    sink.error(formatValue.location, "format \(NameRules.quoted(text)) is not one of csv, jsonl")
                }
            } else if path.hasSuffix(".jsonl") || path.hasSuffix(".ndjson") {
                format = .jsonl
            }
            var delimiter = UInt8(ascii: ",")
            if let delimiterValue = fields["delimiter"], let text = delimiterValue.string("delimiter") {
                let bytes = Array(text.utf8)
                if bytes.count == 1, bytes[0] != UInt8(ascii: "\""), bytes[0] != UInt8(ascii: "\n"),
                    bytes[0] != UInt8(ascii: "\r")
                {
                    delimiter = bytes[0]
                } else {
                    sink.error(
                        delimiterValue.location,
                        "delimiter must be one ASCII character other than a quote or a line break")
                }
            }
            var source = Source(
                name: entry.key, path: path, format: format, delimiter: delimiter, into: into,
                location: entry.keyLocation)
            if let modeValue = fields["mode"], let text = modeValue.string("mode") {
                if let mode = SourceMode(rawValue: text) {
                    source.mode = mode
                } else {
                    sink.error(
                        modeValue.location,
                        "mode \(NameRules.quoted(text)) is not append (each delivery adds its rows) or snapshot (the landing folder is the dataset)"
                    )
                }
            }
            sources[entry.key] = source
        }
        return sources
    }

    func readDatasets(_ value: YAMLValue, into project: inout Project, sink: DiagnosticCollector) {
        guard let entries = value.entries("datasets") else { return }
        for entry in entries {
            guard let name = DatasetName(entry.key) else {
                sink.error(
                    entry.keyLocation,
                    "dataset name \(NameRules.quoted(entry.key)) must be zone.name in lower-case letters, digits and _")
                continue
            }
            if let existing = project.datasets[name] {
                sink.error(entry.keyLocation, "dataset \(name) is already declared at \(existing.location)")
                continue
            }
            project.datasets[name] = readDataset(name, entry.value, location: entry.keyLocation, sink: sink)
        }
    }

    private func readDataset(
        _ name: DatasetName, _ value: YAMLValue, location: SourceLocation, sink: DiagnosticCollector
    ) -> Dataset {
        var dataset = Dataset(name: name, location: location)
        let allowed = [
            "owner", "description", "classification", "pii", "columns", "checks", "on_invalid", "max_invalid_ratio",
            "lifecycle",
        ]
        guard let fields = value.fields("dataset \(name)", allowed: allowed) else { return dataset }
        dataset.owner = fields["owner"].flatMap { $0.string("owner") }
        dataset.description = fields["description"].flatMap { $0.string("description") }
        if let classValue = fields["classification"], let text = classValue.string("classification") {
            dataset.classification = Classification(rawValue: text)
            if dataset.classification == nil {
                sink.error(
                    classValue.location,
                    "classification \(NameRules.quoted(text)) is not one of public, internal, confidential, restricted")
            }
        }
        if let columnsValue = fields["columns"], let columns = columnsValue.entries("columns of \(name)") {
            dataset.columns = columns.compactMap { readColumn($0.key, $0.value, location: $0.keyLocation, sink: sink) }
        }
        for (column, location) in fields["pii"].flatMap({ $0.stringList("pii") }) ?? [] {
            if !dataset.columns.isEmpty && !dataset.columns.contains(where: { $0.name == column }) {
                sink.error(location, "pii column \(NameRules.quoted(column)) is not a column of \(name)")
            }
            dataset.pii.append(column)
        }
        if let checks = fields["checks"].flatMap({ $0.list("checks of \(name)") }) {
            dataset.checks = checks.compactMap { readTableCheck($0, dataset: dataset, sink: sink) }
        }
        if let policyValue = fields["on_invalid"], let text = policyValue.string("on_invalid") {
            if let policy = InvalidRowPolicy(rawValue: text) {
                dataset.onInvalid = policy
            } else {
                sink.error(
                    policyValue.location, "on_invalid \(NameRules.quoted(text)) is not one of reject, quarantine_rows")
            }
        }
        if let ratioValue = fields["max_invalid_ratio"], let ratio = ratioValue.number("max_invalid_ratio") {
            if (0...1).contains(ratio) {
                dataset.maxInvalidRatio = ratio
            } else {
                sink.error(ratioValue.location, "max_invalid_ratio must be between 0 and 1, found \(ratio)")
            }
        }
        dataset.lifecycle = fields["lifecycle"].flatMap { readLifecycle($0, what: "lifecycle of dataset \(name)") }
        return dataset
    }

    private func readColumn(
        _ name: String, _ value: YAMLValue, location: SourceLocation, sink: DiagnosticCollector
    ) -> ColumnSpec? {
        guard NameRules.isColumnName(name) else {
            sink.error(
                location,
                "column name \(NameRules.quoted(name)) must be the header's text: 1 to 128 characters, no line breaks or tabs, no space at either end"
            )
            return nil
        }
        let allowed = [
            "type", "required", "unique", "min", "max", "pattern", "in", "min_length", "max_length", "severity",
            "description", "format", "scale",
        ]
        guard let fields = value.fields("column \(name)", allowed: allowed) else { return nil }
        guard let typeValue = fields["type"], let typeText = typeValue.string("type") else {
            if fields["type"] == nil {
                sink.error(
                    location,
                    "column \(name) needs a type (one of \(ColumnType.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
            }
            return nil
        }
        guard let type = ColumnType(rawValue: typeText) else {
            sink.error(
                typeValue.location,
                "unknown type \(NameRules.quoted(typeText)) for column \(name) (one of \(ColumnType.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
            return nil
        }
        var column = ColumnSpec(name: name, type: type, location: location)
        column.required = fields["required"].flatMap { $0.bool("required") } ?? false
        column.unique = fields["unique"].flatMap { $0.bool("unique") } ?? false
        column.min = fields["min"].flatMap { $0.number("min") }
        column.max = fields["max"].flatMap { $0.number("max") }
        if let scaleValue = fields["scale"], let scale = scaleValue.int("scale", min: 0) {
            if type != .decimal {
                sink.error(scaleValue.location, "scale applies to decimal columns; \(name) is \(type.rawValue)")
            } else if scale > 18 {
                sink.error(scaleValue.location, "scale of column \(name) must be at most 18, found \(scale)")
            } else {
                column.scale = scale
            }
        }
        if let min = column.min, let max = column.max, min > max {
            sink.error(
                fields["min"]!.location, "column \(name) has min \(min) greater than max \(max); no value could pass")
        }
        if (column.min != nil || column.max != nil) && ![.int, .decimal].contains(type) {
            sink.error(
                (fields["min"] ?? fields["max"])!.location,
                "min and max apply to int and decimal columns; \(name) is \(type.rawValue)")
        }
        if let patternValue = fields["pattern"], let pattern = patternValue.string("pattern") {
            if (try? NSRegularExpression(pattern: pattern)) == nil {
                sink.error(
                    patternValue.location,
                    "pattern \(NameRules.quoted(pattern)) of column \(name) is not a valid regular expression")
            }
            column.pattern = pattern
        }
        column.accepted = fields["in"].flatMap { $0.stringList("in") }?.map(\.0)
        column.minLength = fields["min_length"].flatMap { $0.int("min_length", min: 0) }
        column.maxLength = fields["max_length"].flatMap { $0.int("max_length", min: 0) }
        if let formatValue = fields["format"], let text = formatValue.string("format") {
            if column.type != .date && column.type != .timestamp {
                sink.error(
                    formatValue.location, "format applies to date and timestamp columns, not \(column.type.rawValue)")
            } else if let problem = DateFormat.problem(text) {
                sink.error(formatValue.location, "format \(NameRules.quoted(text)): \(problem)")
            } else {
                column.format = DateFormat(text)
            }
        }
        if let minLength = column.minLength, let maxLength = column.maxLength, minLength > maxLength {
            sink.error(
                fields["min_length"]!.location,
                "column \(name) has min_length \(minLength) greater than max_length \(maxLength)")
        }
        if let severityValue = fields["severity"], let text = severityValue.string("severity") {
            if let severity = CheckSeverity(rawValue: text) {
                column.severity = severity
            } else {
                sink.error(severityValue.location, "severity \(NameRules.quoted(text)) is not one of error, warn")
            }
        }
        return column
    }
}
