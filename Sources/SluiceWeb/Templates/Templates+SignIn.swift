extension Templates {
    static let signIn = #"""
        {{<layout}}{{$content}}
        <h1>Sign in</h1>
        <form method="post" action="/ui/signin" class="card narrow">
          <input type="hidden" name="csrf" value="{{csrf}}">
          <input type="hidden" name="next" value="{{next}}">
          <label for="token">Your Sluice token</label>
          <input id="token" name="token" type="password" autocomplete="current-password" required autofocus spellcheck="false">
          {{#failed}}<p class="problem" role="alert">{{failed}}</p>{{/failed}}
          <p class="muted">The token an admin gave you (<code>sluice token create NAME</code>). It is kept in the
          service's memory for this browser session only; the browser gets a session cookie, never the token.</p>
          <button type="submit">Sign in</button>
        </form>
        {{/content}}{{/layout}}
        """#
}
