import Foundation
import Hummingbird
import SluiceCore

extension WebUI {
    /// Quality, a quarantined batch, the audit log, the data flow with its policies and the lifecycle plan.
    func addGovernanceRoutes(_ ui: RouterGroup<SluiceRequestContext>) {
        ui.get("quality") { request, _ in
            await page(request) { viewer in
                renderer.page("quality", try await QualityView.build(viewer, here: request.uri.description))
            }
        }
        ui.get("quality/quarantine/:id") { request, context in
            await page(request) { viewer in
                let id = context.parameters.get("id") ?? ""
                return renderer.page(
                    "quarantine", try await QuarantineView.build(viewer, id: id, here: request.uri.description))
            }
        }
        ui.get("audit") { request, _ in
            await page(request) { viewer in
                let chain = try await chain.state(viewer)
                return renderer.page("audit", try await AuditView.build(viewer, request: request, chain: chain))
            }
        }
        ui.get("flow") { request, _ in
            await page(request) { viewer in renderer.page("flow", try await DiagramView.build(viewer, request: request))
            }
        }
        ui.get("flow.svg") { request, _ in
            await page(request) { viewer in try await DiagramView.image(viewer, request: request) }
        }
        ui.get("lifecycle") { request, _ in
            await page(request) { viewer in
                renderer.page(
                    "lifecycle", try await LifecycleView.build(viewer, here: request.uri.description, plans: plans))
            }
        }
    }
}
