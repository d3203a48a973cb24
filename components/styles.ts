/**
 * CSS text for the shadow roots the content script mounts the views in; put
 * it in a <style> element inside the root. Nothing here reaches the page.
 * Tones are dark text on light fills, each pair above 10:1 contrast; muted
 * grey text stays above 5:1 on every fill it sits on.
 */

const BASE = `
.sl-root,.sl-audit,.sl-send,.sl-sent{font:12.5px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933;position:relative;display:inline-block;text-align:left}
.sl-root *,.sl-audit *,.sl-send *,.sl-sent *{box-sizing:border-box}
.sl-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.sl-muted{color:#52606d}
.sl-number{font-variant-numeric:tabular-nums;font-weight:600}
.sl-name{color:#3e4c59}
.sl-mark{font-weight:700}
.sl-icon{flex:none}
.sl-tone-neutral{background:#f1f3f5;border-color:#c5cbd3;color:#1f2933}
.sl-tone-ok{background:#e7f5ec;border-color:#86c79e;color:#0f3d22}
.sl-tone-warn{background:#fff5d9;border-color:#dcae45;color:#4d3200}
.sl-tone-bad{background:#fdeaea;border-color:#e29a9a;color:#6b1414}
button.sl-badge,button.sl-chip{font:inherit;display:inline-flex;align-items:center;gap:5px;border:1px solid;border-radius:999px;cursor:pointer;white-space:nowrap;max-width:100%}
button:focus-visible,.sl-list:focus-visible{outline:2px solid #1d4ed8;outline-offset:2px}
[hidden]{display:none!important}
`;

const SENDER = `
.sl-badge-wrap{display:inline-flex;flex-direction:column;align-items:flex-end;gap:2px}
button.sl-badge{padding:3px 9px;min-height:26px}
.sl-badge .sl-reason{overflow:hidden;text-overflow:ellipsis;max-width:260px}
.sl-rule{border-radius:999px;padding:0 6px;background:rgba(255,255,255,.7);font-size:11.5px}
.sl-caret{font-size:10px;opacity:.75}
.sl-note{font-size:11px;color:#52606d;margin-left:4px}
.sl-note-warn{color:#7a4b00;font-weight:600}
.sl-pop{position:absolute;right:0;bottom:calc(100% + 6px);z-index:2147483000;width:max-content;max-width:340px;min-width:220px;background:#fff;color:#1f2933;border:1px solid #c5cbd3;border-radius:8px;box-shadow:0 6px 20px rgba(15,23,42,.18);padding:8px 10px}
.sl-pop p{margin:0 0 6px}
.sl-title{font-weight:700}
.sl-trace,.sl-warnings{margin:0 0 6px;padding:0;list-style:none}
.sl-step{display:flex;gap:6px;padding:2px 0}
.sl-step-icon{width:14px;text-align:center;font-weight:700;flex:none}
.sl-applied .sl-step-icon{color:#166534}
.sl-skipped .sl-step-icon{color:#991b1b}
.sl-not-applicable{color:#52606d}
.sl-outcome{font-weight:600}
.sl-tag{display:inline-block;padding:0 5px;border-radius:999px;background:#eef1f4;color:#323f4b;font-size:11px}
.sl-tag-inferred{background:#fff5d9;color:#4d3200}
.sl-tag-current{background:#e7f5ec;color:#0f3d22}
.sl-warnings li{color:#4d3200}
.sl-fresh,.sl-hint,.sl-filter{font-size:11px;color:#52606d;margin:0}
.sl-list{max-height:260px;overflow-y:auto;margin:0 -4px 6px;border-radius:6px}
.sl-group{font-size:11px;font-weight:700;color:#52606d;padding:4px 6px 2px;text-transform:uppercase;letter-spacing:.03em}
.sl-option{padding:4px 6px;border-radius:6px;cursor:pointer}
.sl-option-main{display:flex;flex-wrap:wrap;align-items:center;gap:4px}
.sl-active{background:#e0e9ff;box-shadow:inset 3px 0 0 #1d4ed8}
.sl-disabled{cursor:not-allowed;color:#52606d}
.sl-disabled .sl-number{font-weight:400;text-decoration:line-through}
.sl-option .sl-reason{display:block;font-size:11px}
.sl-other .sl-number{color:#52606d}
.sl-empty{padding:6px;color:#52606d}
@media (prefers-reduced-motion:no-preference){.sl-pop{animation:sl-in .12s ease-out}}
@keyframes sl-in{from{opacity:0;transform:translateY(3px)}}
`;

// The delivery-state dots the audit chips and the send views share.
const DOTS = `
.sl-dot{width:7px;height:7px;border-radius:50%;display:inline-block}
.sl-dot-ok{background:#15803d}
.sl-dot-pending{background:#b45309}
.sl-dot-bad{background:#b91c1c}
.sl-dot-neutral{background:#6b7280}
`;

const AUDIT = `
.sl-audit{vertical-align:middle}
button.sl-chip{padding:1px 7px;font-size:11.5px;min-height:20px}
.sl-status{display:inline-flex;align-items:center;gap:3px}
.sl-audit-details{margin-top:4px;padding:6px 8px;max-width:360px;background:#fff;border:1px solid #c5cbd3;border-radius:8px;white-space:normal}
.sl-audit-details p{margin:0 0 4px}
.sl-audit-details dl{margin:0;display:grid;grid-template-columns:auto 1fr;gap:2px 8px}
.sl-row{display:contents}
.sl-audit-details dt{color:#52606d}
.sl-audit-details dd{margin:0;overflow-wrap:anywhere}
.sl-mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:11.5px;user-select:all}
.sl-warn-line{color:#4d3200;font-weight:600}
`;

// The send action beside the composer and the rows drawn in the thread.
const SEND = `
.sl-send{display:inline-flex;flex-direction:column;align-items:flex-end;gap:3px;max-width:420px}
.sl-sent{display:block;margin:0;padding:0;list-style:none}
.sl-send p,.sl-sent p{margin:0}
.sl-send-row,.sl-last-line,.sl-media,.sl-media-panel{display:flex;flex-wrap:wrap;align-items:center;justify-content:flex-end;gap:6px}
.sl-send button{font:inherit;border:1px solid #c5cbd3;border-radius:6px;background:#fff;color:#1f2933;padding:2px 8px;min-height:24px;cursor:pointer}
.sl-send button.sl-send-button{background:#1d4ed8;border-color:#1d4ed8;color:#fff;font-weight:600;padding:4px 12px;min-height:30px}
.sl-send button[aria-disabled=true]{background:#e4e7eb;border-color:#c5cbd3;color:#52606d;cursor:not-allowed}
.sl-count,.sl-via{font-size:11.5px;color:#52606d;font-variant-numeric:tabular-nums}
.sl-refusal,.sl-error{font-size:11.5px;color:#6b1414;text-align:right}
.sl-quiet{font-size:11.5px;color:#5b6473;text-align:right}
.sl-pill{display:inline-flex;align-items:center;gap:4px;border:1px solid;border-radius:999px;padding:0 7px;font-size:11.5px}
.sl-advice{font-size:11.5px;color:#3e4c59}
.sl-chips{display:flex;flex-wrap:wrap;justify-content:flex-end;gap:4px;margin:0;padding:0;list-style:none}
.sl-media-chip{display:inline-flex;align-items:center;gap:2px;max-width:260px;border:1px solid #c5cbd3;border-radius:999px;padding:0 2px 0 8px;background:#f1f3f5}
.sl-url{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.sl-send button.sl-remove{border:0;background:none;border-radius:50%;padding:0 5px;min-height:20px}
.sl-send button.sl-disclose{border:0;background:none;color:#1d4ed8;text-decoration:underline;padding:0}
.sl-media-panel label{font-size:11.5px}
.sl-media-panel input{font:inherit;width:240px;border:1px solid #7b8794;border-radius:6px;padding:2px 6px}
.sl-media-panel input[aria-invalid=true]{border-color:#b91c1c}
.sl-send input:focus-visible{outline:2px solid #1d4ed8;outline-offset:1px}
.sl-sent-row{display:flex;justify-content:flex-end;margin:6px 0}
.sl-bubble{max-width:70%;display:flex;flex-direction:column;align-items:flex-end;gap:3px;background:#e0e9ff;border:1px dashed #7b93d6;border-radius:12px 12px 2px 12px;padding:6px 10px}
.sl-sent-body{white-space:pre-wrap;overflow-wrap:anywhere;text-align:left}
.sl-sent button.sl-again{font:inherit;border:1px solid #c5cbd3;border-radius:6px;background:#fff;padding:1px 8px;cursor:pointer}
`;

/** For the shadow roots of the send action beside the composer and the rows drawn in the thread. */
export const SEND_CSS = BASE + DOTS + SEND;

/** For the shadow root that holds SenderLensRoot (badge, tooltip, switcher). */
export const SENDER_LENS_CSS = BASE + SENDER;

/** For a shadow root that holds one or more AuditBadge chips. */
export const AUDIT_CSS = BASE + DOTS + AUDIT;
