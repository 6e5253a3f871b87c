import Foundation
import Hummingbird
import SluiceCore

extension WebUI {
    /// Environments, one environment (a name with a slash is one %2F-encoded segment), and the compare view.
    func addEnvironmentRoutes(_ ui: RouterGroup<SluiceRequestContext>) {
        ui.get("environments") { request, _ in
            await page(request) { viewer in
                renderer.page("environments", try await EnvironmentsView.build(viewer, here: request.uri.description))
            }
        }
        ui.get("environments/:name") { request, context in
            await page(request) { viewer in
                let name = context.parameters.get("name") ?? ""
                return renderer.page(
                    "environment", try await EnvironmentView.build(viewer, name: name, here: request.uri.description))
            }
        }
        ui.get("compare") { request, _ in
            await page(request) { viewer in
                renderer.page("compare", try await CompareView.build(viewer, request: request))
            }
        }
    }
}
