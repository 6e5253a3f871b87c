extension Templates {
    /// The page around every view: skip link, navigation, who is signed in, and the view's `content` block.
    static let layout = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <title>{{chrome.title}} · {{chrome.project}} · Sluice</title>
        <link rel="stylesheet" href="/ui/assets/sluice.css?v={{chrome.assets}}">
        <link rel="icon" href="/ui/assets/icon.svg?v={{chrome.assets}}" type="image/svg+xml">
        <script src="/ui/assets/sluice.js?v={{chrome.assets}}" defer></script>
        </head>
        <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="top">
          <a class="brand" href="/ui"><img src="/ui/assets/icon.svg?v={{chrome.assets}}" alt="" width="22" height="22"> Sluice <span class="project">{{chrome.project}}</span></a>
          <nav aria-label="Sections">
            <ul>
            {{#chrome.nav}}<li><a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a></li>{{/chrome.nav}}
            </ul>
          </nav>
          <div class="who">
            {{#chrome.signedIn}}
            <span title="signed in">{{chrome.principal}}</span>
            <form method="post" action="/ui/signout"><input type="hidden" name="csrf" value="{{chrome.csrf}}"><button type="submit" class="link">Sign out</button></form>
            {{/chrome.signedIn}}
            {{^chrome.signedIn}}<span class="muted">anonymous</span> <a href="/ui/signin?next={{chrome.here}}">Sign in</a>{{/chrome.signedIn}}
          </div>
        </header>
        <main id="main" tabindex="-1">
        {{#chrome.notice}}<p class="notice" role="status">{{chrome.notice}}</p>{{/chrome.notice}}
        {{#chrome.refusal}}<p class="notice" role="alert">{{chrome.refusal}}</p>{{/chrome.refusal}}
        {{$content}}{{/content}}
        </main>
        <footer class="foot">Sluice {{chrome.version}} · project {{chrome.commit}} · <time datetime="{{chrome.nowISO}}">{{chrome.now}}</time> UTC</footer>
        </body>
        </html>
        """#

    /// A status with its symbol, so that it reads without colour too.
    static let badge = #"""
        <span class="badge {{tone}}"><span aria-hidden="true">{{symbol}}</span> {{label}}</span>
        """#

    /// A time shown relative to now, with the exact time on hover and for machines.
    static let when = #"""
        <time datetime="{{iso}}" title="{{exact}}">{{relative}}</time>
        """#

    /// "Newer" and "older" links of a paged list.
    static let pager = #"""
        <nav class="pager" aria-label="Pages">
        {{#pager.first}}<a href="{{pager.first}}">« Newest</a>{{/pager.first}}
        {{#pager.next}}<a href="{{pager.next}}" rel="next">Older »</a>{{/pager.next}}
        </nav>
        """#

    /// A refusal, an unknown name or a bad request, as a page.
    static let problem = #"""
        {{<layout}}{{$content}}
        <h1>{{heading}}</h1>
        <p class="problem">{{message}}</p>
        {{#hint}}<p class="muted">{{hint}}</p>{{/hint}}
        {{^chrome.signedIn}}<p><a href="/ui/signin?next={{chrome.here}}">Sign in</a> to see what your role may read.</p>{{/chrome.signedIn}}
        <p><a href="/ui">Back to the overview</a></p>
        {{/content}}{{/layout}}
        """#
}
