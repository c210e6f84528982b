/// The Mustache template of the outbox page. Only `{{…}}` tags (HTML-escaped) take values: no triple mustaches.
/// Styles are inline so that the page is one file that opens from the filesystem.
enum OutboxPageTemplate {
    static let text = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Webbflow outbox</title>
        <style>
        body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em 2em; color: #1d1d1f; background: #fafafa; }
        h1 { font-size: 1.5em; margin-bottom: 0.2em; }
        h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
        .generated { color: #666; }
        .products { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 1em; }
        .product { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 0.6em; }
        .product img { width: 100%; height: auto; border: 1px solid #eee; }
        .product .name { font-family: ui-monospace, monospace; font-weight: 600; word-break: break-all; }
        .product dl { display: grid; grid-template-columns: auto 1fr; gap: 0.1em 0.8em; margin: 0.4em 0 0; }
        .product dt { color: #666; }
        .product dd { margin: 0; word-break: break-all; }
        .missing { color: #b00020; }
        .nopicture { color: #666; font-style: italic; }
        table { border-collapse: collapse; width: 100%; background: #fff; }
        th, td { text-align: left; vertical-align: top; padding: 0.3em 0.6em; border-bottom: 1px solid #e4e4e4; }
        td.file { font-family: ui-monospace, monospace; word-break: break-all; }
        nav.pages a, nav.pages strong { margin-right: 0.5em; }
        </style>
        </head>
        <body>
        <h1>Webbflow outbox</h1>
        <p class="generated">{{productCount}} products{{#paged}} · page {{page}} of {{pageCount}}, newest first{{/paged}} · updated {{generated}}</p>
        {{#paged}}<nav class="pages">Pages: {{#pageLinks}}{{#current}}<strong>{{number}}</strong>{{/current}}{{^current}}<a href="{{link}}">{{number}}</a>{{/current}} {{/pageLinks}}</nav>{{/paged}}
        {{#empty}}<p>Nothing has been processed yet.</p>{{/empty}}
        {{#programs}}
        <section class="program" id="program-{{name}}">
        <h2>Program {{name}} ({{count}})</h2>
        <div class="products">
        {{#products}}
        <article class="product" data-product="{{name}}">
        {{#picture}}<a href="{{picture}}"><img src="{{picture}}" alt="quick-look sheet of {{name}}" loading="lazy"></a>{{/picture}}
        {{^picture}}<p class="nopicture">no quick-look picture</p>{{/picture}}
        <div class="name"><a href="{{link}}">{{name}}</a></div>
        <dl>
        <dt>step</dt><dd>{{step}}</dd>
        {{#target}}<dt>target</dt><dd class="target">{{target}}</dd>{{/target}}
        {{#mode}}<dt>mode</dt><dd>{{mode}}</dd>{{/mode}}
        <dt>inputs</dt><dd>{{inputs}}</dd>
        <dt>written</dt><dd>{{time}}</dd>
        <dt>status</dt><dd{{#missing}} class="missing"{{/missing}}>{{status}}</dd>
        </dl>
        </article>
        {{/products}}
        </div>
        </section>
        {{/programs}}
        {{#hasFailures}}
        <h2>Failures</h2>
        <table id="failures">
        <tr><th>step</th><th>inputs</th><th>reason</th><th>attempts</th><th>failed</th></tr>
        {{#failures}}
        <tr><td>{{step}}</td><td class="file">{{inputs}}</td><td>{{reason}}</td><td>{{attempts}}</td><td>{{time}}</td></tr>
        {{/failures}}
        </table>
        {{/hasFailures}}
        {{#hasSkipped}}
        <h2>Files not processed</h2>
        <table id="skipped">
        <tr><th>file</th><th>verdict</th><th>reason</th></tr>
        {{#skipped}}
        <tr><td class="file">{{name}}</td><td>{{state}}{{#code}} ({{code}}){{/code}}</td><td>{{reason}}</td></tr>
        {{/skipped}}
        </table>
        {{/hasSkipped}}
        </body>
        </html>

        """
}
