extension WebAssets {
    /// The little JavaScript the pages use; every page works without it. It tails the logs of running steps,
    /// reloads a running run's page when its status changes, and asks before a destructive button acts.
    static let script = #"""
        "use strict";
        (function () {
          function tail(pre) {
            var url = pre.getAttribute("data-tail");
            var out = 0, err = 0;
            function poll() {
              fetch(url + "&out=" + out + "&err=" + err, { credentials: "same-origin" })
                .then(function (response) { return response.ok ? response.json() : null; })
                .then(function (body) {
                  if (!body) { return; }
                  var text = body.stdout + body.stderr;
                  if (text.length > 0) {
                    var atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
                    pre.appendChild(document.createTextNode(text));
                    if (atEnd) { pre.scrollTop = pre.scrollHeight; }
                  }
                  out = body.stdoutEnd; err = body.stderrEnd;
                  if (body.running) { window.setTimeout(poll, 1000); } else { window.location.reload(); }
                })
                .catch(function () { window.setTimeout(poll, 3000); });
            }
            poll();
          }
          function watch(element) {
            var url = element.getAttribute("data-watch");
            var seen = element.getAttribute("data-state");
            function poll() {
              fetch(url, { credentials: "same-origin" })
                .then(function (response) { return response.ok ? response.json() : null; })
                .then(function (body) {
                  if (body && body.state !== seen) { window.location.reload(); return; }
                  window.setTimeout(poll, 2000);
                })
                .catch(function () { window.setTimeout(poll, 5000); });
            }
            window.setTimeout(poll, 2000);
          }
          document.addEventListener("DOMContentLoaded", function () {
            document.querySelectorAll("pre[data-tail]").forEach(tail);
            document.querySelectorAll("[data-watch]").forEach(watch);
            document.querySelectorAll("form[data-confirm]").forEach(function (form) {
              form.addEventListener("submit", function (event) {
                if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
              });
            });
          });
        })();
        """#
}
