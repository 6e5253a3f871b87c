import Hummingbird
import Mustache

/// The compiled templates (they are part of the binary, so the UI needs no files beside it) and the one way
/// a page is rendered: Mustache escapes every value it writes, so no view builds HTML from strings.
struct PageRenderer: Sendable {
    static let shared = PageRenderer()

    let library: MustacheLibrary

    init() {
        var library = MustacheLibrary()
        for (name, source) in Templates.all {
            do {
                try library.register(source, named: name)
            } catch {
                // The templates are compiled into the binary and rendered by the tests: a broken one is a bug.
                preconditionFailure("the template \(name) does not parse: \(error)")
            }
        }
        self.library = library
    }

    func render(_ template: String, _ model: Any) -> String {
        guard let text = library.render(model, withTemplate: template) else {
            preconditionFailure("no template named \(template)")
        }
        return text
    }

    func page(_ template: String, _ model: Any, status: HTTPResponse.Status = .ok) -> Response {
        WebResponse.html(render(template, model), status: status)
    }
}

/// The templates by name. Each view's template lives in a `Templates+View.swift` file beside this one.
enum Templates {
    static let all: [String: String] = [
        "layout": layout, "badge": badge, "when": when, "pager": pager, "problem": problem, "signin": signIn,
        "home": home, "runtable": runTable, "quarantinetable": quarantineTable, "audittable": auditTable,
        "runs": runs, "run": run, "graph": graph, "timeline": timeline, "chart": chart,
        "datasets": datasets, "dataset": dataset,
        "environments": environments, "environment": environment, "compare": compare,
        "quality": quality, "quarantine": quarantine, "audit": audit, "lifecycle": lifecycle, "flow": flow,
        "retiredtable": retiredTable,
    ]
}
