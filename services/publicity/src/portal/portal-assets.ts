/**
 * The portal's style and script, served from the service itself (no third-party host: the CSP allows 'self'
 * only). Mobile first: one column, large touch targets, system fonts with Chinese glyphs.
 */
export const PORTAL_CSS = `
:root{--ink:#1a1a1a;--muted:#555;--line:#d0d4da;--accent:#b3261e;--link:#0b57d0;--bg:#fff;--soft:#f4f6f8}
*{box-sizing:border-box}
html{font-size:100%}
body{margin:0;font-family:system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei","Droid Sans Fallback",sans-serif;color:var(--ink);background:var(--bg);line-height:1.6}
a{color:var(--link)}
a:focus,button:focus,input:focus,select:focus{outline:3px solid #f9a825;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem}
.skip:focus{left:.5rem}
header{background:var(--accent);color:#fff;padding:.75rem 1rem}
header a{color:#fff;text-decoration:none}
header .title{font-size:1.2rem;font-weight:700;margin:0}
nav ul{list-style:none;margin:.5rem 0 0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
nav a{display:inline-block;padding:.25rem 0;color:#fff;text-decoration:underline}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;margin:.5rem 0 1rem}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
form.search{display:grid;grid-template-columns:1fr;gap:.5rem;background:var(--soft);padding:1rem;border-radius:.5rem}
form.search label{font-weight:600;display:block;margin-bottom:.15rem}
input,select,button{font:inherit;min-height:2.75rem;padding:.4rem .6rem;border:1px solid var(--line);border-radius:.35rem;width:100%}
button{background:var(--accent);color:#fff;border:0;font-weight:700;cursor:pointer}
@media (min-width:40rem){form.search{grid-template-columns:repeat(2,1fr)}form.search .wide{grid-column:1/-1}}
ol.decisions{list-style:none;padding:0;margin:0}
ol.decisions li{border-bottom:1px solid var(--line);padding:.75rem 0}
ol.decisions .meta{color:var(--muted);font-size:.9rem}
.badge{display:inline-block;font-size:.8rem;padding:0 .4rem;border-radius:.25rem;background:var(--soft);border:1px solid var(--line)}
.withdrawn{background:#fff4e5;border-color:#f0b35a}
dl.record{display:grid;grid-template-columns:1fr;gap:.25rem 1rem;margin:0}
dl.record dt{font-weight:700;color:var(--muted)}
dl.record dd{margin:0 0 .5rem}
@media (min-width:40rem){dl.record{grid-template-columns:10rem 1fr}dl.record dd{margin:0}}
.hash{font-family:ui-monospace,monospace;font-size:.8rem;word-break:break-all}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{border:1px solid var(--line);padding:.4rem;text-align:left;vertical-align:top}
.table-wrap{overflow-x:auto}
.notice{border-left:4px solid var(--accent);background:var(--soft);padding:.75rem 1rem}
footer{color:var(--muted);font-size:.85rem;text-align:center;padding:2rem 1rem}
`;

/** New decisions arrive over server-sent events and are announced in a polite live region. */
export const PORTAL_JS = `
(function(){
  var list=document.getElementById('live-decisions');
  if(!list||!window.EventSource)return;
  var status=document.getElementById('live-status');
  var source=new EventSource('/public/events');
  source.addEventListener('decision',function(e){
    var d;try{d=JSON.parse(e.data)}catch(x){return}
    var li=document.createElement('li');
    var a=document.createElement('a');a.href='/portal/decisions/'+encodeURIComponent(d.id);a.textContent=d.decisionNumber+' '+d.partyName;
    var meta=document.createElement('div');meta.className='meta';meta.textContent=d.agencyName+' · '+d.decidedOn+' · '+d.violation;
    li.appendChild(a);li.appendChild(meta);list.insertBefore(li,list.firstChild);
    if(status)status.textContent='新公开一条处罚决定：'+d.decisionNumber;
  });
})();
`;
