import Foundation
import Hummingbird
import SluiceCore

extension WebUI {
    /// The dataset catalogue and a dataset's page.
    func addDataRoutes(_ ui: RouterGroup<SluiceRequestContext>) {
        ui.get("datasets") { request, _ in
            await page(request) { viewer in
                renderer.page("datasets", try await DatasetsView.build(viewer, request: request))
            }
        }
        ui.get("datasets/:name") { request, context in
            await page(request) { viewer in
                let name = context.parameters.get("name") ?? ""
                return renderer.page("dataset", try await DatasetView.build(viewer, name: name, request: request))
            }
        }
    }
}
