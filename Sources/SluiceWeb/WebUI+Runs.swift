import Foundation
import Hummingbird
import SluiceCore

extension WebUI {
    /// The run list, one run, its state and live output for the page's script, and cancel and resume.
    func addRunRoutes(_ ui: RouterGroup<SluiceRequestContext>) {
        ui.get("runs") { request, _ in
            await page(request) { viewer in renderer.page("runs", try await RunsView.build(viewer, request: request)) }
        }
        ui.get("runs/:id") { request, context in
            await page(request) { viewer in
                let id = context.parameters.get("id") ?? ""
                return renderer.page("run", try await RunView.build(viewer, id: id, here: request.uri.description))
            }
        }
        ui.get("runs/:id/state") { request, context in
            await page(request) { viewer in
                let run = try await viewer.workspace.runRecord(context.parameters.get("id") ?? "")
                return WebResponse.json(try JSONEncoder().encode(["state": RunView.state(of: run)]))
            }
        }
        ui.get("runs/:id/tail") { request, context in
            await page(request) { viewer in
                let query = request.uri.queryParameters
                let tail = try await viewer.workspace.liveTail(
                    run: context.parameters.get("id") ?? "", step: query.get("step") ?? "",
                    stdoutFrom: Int(query.get("out") ?? "") ?? 0, stderrFrom: Int(query.get("err") ?? "") ?? 0)
                return WebResponse.json(try JSONEncoder().encode(tail))
            }
        }
        ui.post("runs/:id/cancel") { request, context in
            await action(request) { viewer in
                let id = context.parameters.get("id") ?? ""
                _ = try await backend.cancelRun(id, by: viewer.workspace)
                return WebResponse.redirect("/ui/runs/\(Format.segment(id))")
            }
        }
        ui.post("runs/:id/resume") { request, context in
            await action(request) { viewer in
                let id = try await backend.resumeRun(context.parameters.get("id") ?? "", by: viewer.workspace)
                return WebResponse.redirect("/ui/runs/\(Format.segment(id))")
            }
        }
    }
}
