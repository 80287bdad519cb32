import { PENALTY_KIND_NAMES } from '@enforcement/contracts';
import type { AgencyStatistics } from '../disclosure-core/annual-statistics';
import type { LeafProof } from '../disclosure-core/disclosure-leaf';
import type { PublicAgencyView, PublicCertificateView } from '../public/public-roster.repository';
import type { PublicDecisionView } from '../public/public-views';

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const e = escapeHtml;

/** The Content-Security-Policy of portal pages: everything from the service itself, nothing inline. */
export const PORTAL_CSP =
  "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export function layout(title: string, body: string, options: { live?: boolean } = {}): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)} - 行政执法公示平台</title>
<link rel="stylesheet" href="/portal/assets/portal.css">
${options.live ? '<script src="/portal/assets/portal.js" defer></script>' : ''}
</head>
<body>
<a class="skip" href="#main">跳到主要内容</a>
<header>
<p class="title"><a href="/portal">行政执法公示平台</a></p>
<nav aria-label="主导航"><ul>
<li><a href="/portal">处罚决定公示</a></li>
<li><a href="/portal/agencies">执法机关</a></li>
<li><a href="/portal/certificates">执法证件查询</a></li>
<li><a href="/portal/statistics">年度统计</a></li>
</ul></nav>
</header>
<main id="main">
${body}
</main>
<footer>依据《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》（国办发〔2018〕118号）公开。个人信息已依法处理。</footer>
</body>
</html>`;
}

export interface SearchForm {
  q?: string;
  agencyId?: string;
  penaltyKind?: string;
  from?: string;
  to?: string;
}

function decisionItem(view: PublicDecisionView): string {
  if (view.status === 'withdrawn') {
    return `<li><a href="/portal/decisions/${e(view.id)}">${e(view.decisionNumber)}</a> <span class="badge withdrawn">已撤回</span>
<div class="meta">${e(view.agencyName)} · ${e(view.decidedOn)} · ${e(view.withdrawalReason)}</div></li>`;
  }
  const r = view.record;
  return `<li><a href="/portal/decisions/${e(view.id)}">${e(r.decisionNumber)} ${e(r.partyName)}</a>
<div class="meta">${e(r.agencyName)} · 决定日期 ${e(r.decidedOn)} · ${e(r.penaltyKinds.join('、'))}${r.fineYuan !== '0.00' ? ` · 罚款 ${e(r.fineYuan)} 元` : ''}</div>
<div>${e(r.violation)}</div></li>`;
}

export function homePage(items: PublicDecisionView[], search: SearchForm, agencies: PublicAgencyView[], nextHref: string | null): string {
  const kinds = Object.entries(PENALTY_KIND_NAMES)
    .map(([kind, label]) => `<option value="${e(kind)}"${search.penaltyKind === kind ? ' selected' : ''}>${e(label)}</option>`)
    .join('');
  const agencyOptions = agencies
    .map((a) => `<option value="${e(a.id)}"${search.agencyId === a.id ? ' selected' : ''}>${e(a.name)}</option>`)
    .join('');
  return layout(
    '行政处罚决定公示',
    `<h1>行政处罚决定公示</h1>
<form class="search" method="get" action="/portal" role="search" aria-label="检索处罚决定">
<div class="wide"><label for="q">关键词</label><input id="q" name="q" type="search" value="${e(search.q)}" placeholder="如：食品、经营许可" maxlength="50"></div>
<div><label for="agencyId">执法机关</label><select id="agencyId" name="agencyId"><option value="">全部</option>${agencyOptions}</select></div>
<div><label for="penaltyKind">处罚类别</label><select id="penaltyKind" name="penaltyKind"><option value="">全部</option>${kinds}</select></div>
<div><label for="from">决定日期自</label><input id="from" name="from" type="date" value="${e(search.from)}"></div>
<div><label for="to">至</label><input id="to" name="to" type="date" value="${e(search.to)}"></div>
<div class="wide"><button type="submit">检索</button></div>
</form>
<h2 id="live-heading">最新公开</h2>
<p id="live-status" class="meta" role="status" aria-live="polite"></p>
<ol class="decisions" id="live-decisions" aria-labelledby="live-heading"></ol>
<h2 id="results-heading">检索结果</h2>
${items.length === 0 ? `<p>${nextHref ? '本页未检索到符合条件的处罚决定，请继续查看下一页。' : '没有符合条件的处罚决定。'}</p>` : `<ol class="decisions" aria-labelledby="results-heading">${items.map(decisionItem).join('')}</ol>`}
${nextHref ? `<p><a href="${e(nextHref)}" rel="next">下一页</a></p>` : ''}
<p><a href="/public/open-data/decisions?format=csv">下载开放数据（CSV）</a> · <a href="/public/open-data/decisions">JSON</a></p>`,
    { live: true },
  );
}

export function decisionPage(view: PublicDecisionView, proofs: LeafProof[]): string {
  const proofSection = `<h2>防篡改证明</h2>
${
  proofs.length === 0
    ? '<p>当日的默克尔根在该日结束后生成，届时可在此查看包含证明。</p>'
    : proofs
        .map(
          (p) => `<p>${e(p.day)} 公示根哈希（第 ${p.index + 1} 项，共 ${p.size} 项）：</p><p class="hash">${e(p.root)}</p>
<p>叶哈希：</p><p class="hash">${e(p.leafHash)}</p>`,
        )
        .join('') +
      `<p>离线核验：下载 <a href="/public/decisions/${e(view.id)}">决定数据</a> 与 <a href="/public/decisions/${e(view.id)}/proof">证明</a>，运行 <code>npm run verify-disclosure -- --decision 决定.json --proof 证明.json --root 当日根哈希</code>。</p>`
}`;
  if (view.status === 'withdrawn') {
    return layout(
      `${view.decisionNumber}（已撤回）`,
      `<h1>${e(view.decisionNumber)}</h1>
<div class="notice" role="note"><p><strong>该处罚决定已撤回</strong>（${e(view.withdrawnAt.slice(0, 10))}）</p><p>${e(view.withdrawalReason)}</p>${
        view.replacedBy ? `<p><a href="/portal/decisions/${e(view.replacedBy)}">查看变更后的处罚决定</a></p>` : ''
      }</div>
<dl class="record"><dt>处罚机关</dt><dd>${e(view.agencyName)}</dd><dt>决定日期</dt><dd>${e(view.decidedOn)}</dd></dl>
${proofSection}`,
    );
  }
  const r = view.record;
  const rows: Array<[string, string]> = [
    ['决定文书号', r.decisionNumber],
    ['相对人名称', r.partyName],
    ['统一社会信用代码', r.creditCode || '—'],
    ['违法行为类型', r.violation],
    ['处罚依据', r.legalBasis],
    ['处罚类别', r.penaltyKinds.join('、')],
    ['处罚内容', r.content],
    ['罚款金额（元）', r.fineYuan],
    ['没收金额（元）', r.confiscationYuan],
    ['决定日期', r.decidedOn],
    ['处罚机关', r.agencyName],
    ['公示截止期', r.publicUntil.slice(0, 10)],
  ];
  return layout(
    r.decisionNumber,
    `<h1>${e(r.decisionNumber)}</h1>
${r.replaces ? `<p class="notice" role="note">本决定系变更后的处罚决定，<a href="/portal/decisions/${e(r.replaces)}">原处罚决定</a>已撤回。</p>` : ''}
<dl class="record">${rows.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v)}</dd>`).join('')}</dl>
${proofSection}`,
  );
}

export function agenciesPage(agencies: PublicAgencyView[]): string {
  return layout(
    '执法机关',
    `<h1>执法机关</h1>${agencies.length === 0 ? '<p>暂无。</p>' : `<ul>${agencies.map((a) => `<li><a href="/portal/agencies/${e(a.id)}">${e(a.name)}</a></li>`).join('')}</ul>`}`,
  );
}

const STATUS_LABELS: Record<string, string> = { active: '有效', suspended: '暂扣', revoked: '已吊销', expired: '已过期' };

export interface PortalSection {
  title: string;
  text: string;
  items: Array<{ name: string; detail: string; legalBasis: string }>;
}

function sectionHtml(section: PortalSection): string {
  const items = section.items.length
    ? `<ol>${section.items.map((i) => `<li><strong>${e(i.name)}</strong>${i.detail ? `：${e(i.detail)}` : ''}${i.legalBasis ? `（依据：${e(i.legalBasis)}）` : ''}</li>`).join('')}</ol>`
    : '';
  return `<h2>${e(section.title)}</h2>${section.text ? `<p>${e(section.text)}</p>` : ''}${items}`;
}

export function agencyPage(agency: PublicAgencyView, officers: PublicCertificateView[], sections: PortalSection[] = []): string {
  return layout(
    agency.name,
    `<h1>${e(agency.name)}</h1>
<dl class="record"><dt>统一社会信用代码</dt><dd>${e(agency.creditCode)}</dd><dt>执法领域</dt><dd>${e(agency.domains.join('、'))}</dd><dt>执法依据</dt><dd>${e(agency.legalBasis)}</dd></dl>
${sections.map(sectionHtml).join('')}
<h2 id="roster">执法人员名单</h2>
<div class="table-wrap"><table aria-labelledby="roster"><thead><tr><th scope="col">姓名</th><th scope="col">执法证号</th><th scope="col">执法领域</th><th scope="col">状态</th></tr></thead>
<tbody>${officers.map((o) => `<tr><td>${e(o.holderName)}</td><td><a href="/portal/certificates/${encodeURIComponent(o.number)}">${e(o.number)}</a></td><td>${e(o.domains.join('、'))}</td><td>${e(STATUS_LABELS[o.status] ?? o.status)}</td></tr>`).join('')}</tbody></table></div>
<p><a href="/portal?agencyId=${e(agency.id)}">本机关的处罚决定</a></p>`,
  );
}

export function certificatePage(number: string | undefined, view: PublicCertificateView | null): string {
  const form = `<form class="search" method="get" action="/portal/certificates" role="search" aria-label="查询执法证件">
<div class="wide"><label for="number">执法证号</label><input id="number" name="number" value="${e(number)}" maxlength="64" required></div>
<div class="wide"><button type="submit">查询</button></div></form>`;
  let result = '';
  if (number && !view) result = '<div class="notice" role="alert"><p>未查询到该执法证件，请核实证号。</p></div>';
  if (view) {
    const valid = view.status === 'active';
    result = `<div class="notice" role="status"><p><strong>${valid ? '该执法证件真实有效' : `该执法证件当前状态：${e(STATUS_LABELS[view.status] ?? view.status)}`}</strong></p></div>
<dl class="record"><dt>持证人</dt><dd>${e(view.holderName)}</dd><dt>执法证号</dt><dd>${e(view.number)}</dd><dt>所属机关</dt><dd>${e(view.agencyName)}</dd><dt>执法领域</dt><dd>${e(view.domains.join('、'))}</dd><dt>有效期</dt><dd>${e(view.validFrom.slice(0, 10))} 至 ${e(view.validUntil.slice(0, 10))}</dd><dt>状态</dt><dd>${e(STATUS_LABELS[view.status] ?? view.status)}</dd></dl>`;
  }
  return layout('执法证件查询', `<h1>执法证件查询</h1>${form}${result}`);
}

export function statisticsPage(year: number, items: AgencyStatistics[] | null): string {
  const table =
    items === null
      ? '<p>该年度尚未结束，统计数据在次年1月公开。</p>'
      : `<div class="table-wrap"><table><caption>${year} 年度行政处罚统计</caption><thead><tr><th scope="col">执法机关</th><th scope="col">决定数</th><th scope="col">已公开</th><th scope="col">按期公开</th><th scope="col">撤回</th><th scope="col">罚款（元）</th></tr></thead>
<tbody>${items.map((s) => `<tr><td>${e(s.agencyName)}</td><td>${s.decisions}</td><td>${s.published}</td><td>${s.publishedOnTime}</td><td>${s.withdrawn}</td><td>${e(s.fineYuan)}</td></tr>`).join('')}</tbody></table></div>
<p><a href="/public/statistics/${year}?format=csv">下载 CSV</a></p>`;
  return layout(
    `${year} 年度统计`,
    `<h1>${year} 年度执法统计</h1>
<form class="search" method="get" action="/portal/statistics"><div><label for="year">年度</label><input id="year" name="year" type="number" min="2000" max="2100" value="${year}"></div><div><button type="submit">查看</button></div></form>
${table}`,
  );
}
