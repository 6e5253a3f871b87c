import Foundation

/// Where the OpenLineage events of runs go as they happen (`openlineage: { url, endpoint, namespace }`): posted
/// to `url/endpoint`, as OpenLineage's HTTP transport does (Marquez and the like listen at `api/v1/lineage`).
public struct OpenLineageSettings: Hashable, Sendable {
    public var url: URL
    public var endpoint = "api/v1/lineage"
    /// The store's name in namespaces (`namespace:`; the project's name when absent): name each store its own
    /// when several stores run one project, so that their lineage stays apart too.
    public var store: String?

    public init(url: URL) { self.url = url }

    /// The URL events are posted to.
    public var destination: String {
        let base = url.absoluteString
        return (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/" + endpoint
    }

    /// The OpenLineage namespace of the datasets and jobs of one environment of one store:
    /// `sluice://STORE/ENVIRONMENT`. dev's and prod's `raw.orders` are two datasets to a lineage server, and a
    /// job that ran in dev is not the job that ran in prod, so their graphs never mix.
    public static func namespace(store: String, environment: String) -> String {
        "sluice://\(store)/\(environment)"
    }
}
