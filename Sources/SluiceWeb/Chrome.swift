import Foundation
import SluiceCore

/// What every page shows around its view: the title, the sections, who is looking and the form secret.
struct Chrome: Sendable {
    struct NavLink: Sendable {
        var label: String
        var href: String
        var current: Bool
    }

    enum Section: String, CaseIterable, Sendable {
        case home = "Overview"
        case runs = "Runs"
        case datasets = "Datasets"
        case environments = "Environments"
        case quality = "Quality"
        case audit = "Audit"
        case lifecycle = "Lifecycle"
        case flow = "Data flow"
        case signIn = "Sign in"

        var href: String {
            switch self {
            case .home: "/ui"
            case .signIn: "/ui/signin"
            case .flow: "/ui/flow"
            default: "/ui/\(rawValue.lowercased())"
            }
        }
    }

    var title: String
    var project: String
    var nav: [NavLink]
    var principal: String
    var signedIn: Bool
    var csrf: String
    /// The path and query of this page, percent-encoded for a `next=` parameter.
    var here: String
    var notice: String?
    var assets: String
    var version: String
    /// Which commit of the project is in force (or its work tree), and why a later one is not.
    var commit: String
    var refusal: String?
    var now: String
    var nowISO: String

    init(title: String, section: Section, viewer: Viewer, here: String, notice: String? = nil) {
        self.title = title
        project = viewer.workspace.project.name
        nav = Section.allCases.filter { $0 != .signIn }.map {
            NavLink(label: $0.rawValue, href: $0.href, current: $0 == section)
        }
        principal = viewer.workspace.identity.name
        signedIn = viewer.session != nil
        csrf = viewer.session?.csrf ?? ""
        self.here = here.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/ui"
        self.notice = notice ?? viewer.notice
        assets = WebAssets.version
        version = EngineVersion.current
        let project = viewer.workspace.project
        commit = project.committed.map { "at commit \($0.prefix(12))" } ?? "from its work tree"
        refusal = project.refusal
        let iso = viewer.now.description
        nowISO = iso
        now = String(iso.prefix(16)).replacingOccurrences(of: "T", with: " ")
    }
}
