"""The dashboard's inline style sheet: Thai fonts already on the reader's machine (no web font
is fetched), one column on a phone, the Thai/English switch done in CSS alone."""

FONTS = '"TH Sarabun New", "Sarabun", "Garuda", "Loma", "Noto Sans Thai", "Tahoma", sans-serif'

CSS = """
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:FONTS;font-size:19px;line-height:1.45;color:#212121;background:#f5f5f5}
.page{max-width:1100px;margin:0 auto;padding:12px}
header.top{background:#1f4e78;color:#fff;padding:16px 12px;border-radius:6px}
header.top h1{margin:0;font-size:1.6em;line-height:1.2}
header.top .en{color:#dbe7f3}
header.top p{margin:.4em 0 0}
section{background:#fff;margin:14px 0;padding:12px;border-radius:6px;
 box-shadow:0 1px 2px rgba(0,0,0,.12)}
h2{margin:0 0 .5em;font-size:1.35em;color:#1f4e78}
h3{margin:.2em 0 .3em;font-size:1.1em}
.en{display:block;font-size:.78em;color:#616161;line-height:1.25}
.en.in{display:inline;margin-left:.35em}
.lang{position:absolute;opacity:0;width:1px;height:1px}
.lang-label{display:inline-block;margin-top:.6em;padding:.1em .8em;border:1px solid #fff;
 border-radius:1em;cursor:pointer;font-size:.85em}
.lang:focus-visible~.page .lang-label{outline:3px solid #ffd54f}
.lang:checked~.page .th{display:none}
.lang:checked~.page .en{display:inline;font-size:1em;color:inherit;margin-left:0}
.lang:checked~.page .lang-label{background:#fff;color:#1f4e78}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:10px}
.card{border:1px solid #e0e0e0;border-radius:6px;padding:10px;background:#fff}
.code{font-family:monospace;font-size:.8em;color:#616161}
.figure{font-size:1.05em}
.muted{color:#616161;font-size:.85em}
svg.bar{display:block;width:100%;max-width:320px;height:14px;margin:.25em 0}
td svg.bar{width:70px;height:12px;margin:0}
svg.stack{display:block;width:100%;height:18px;margin:.3em 0}
svg.spark{display:block;width:150px;height:45px}
.badge{display:inline-block;padding:0 .5em;border-radius:.8em;font-size:.85em}
.badge .en{color:inherit}
.on_track{background:#c8e6c9}.at_risk{background:#fff3c4}.off_track{background:#ffcdd2}
.no_data{background:#eeeeee}
.legend span{margin-right:.8em;white-space:nowrap}
.swatch{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin-right:.25em}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9em}
th,td{border-bottom:1px solid #e0e0e0;padding:.3em .4em;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;white-space:nowrap}
tr.city td{font-weight:bold;background:#f0f4f8}
.scroll th:first-child,.scroll td:first-child{position:sticky;left:0;background:#fff;min-width:8em}
.scroll tr.city td:first-child{background:#f0f4f8}
.trend{display:flex;gap:.6em;align-items:center}
a{color:#0d47a1}
footer{font-size:.85em;color:#424242;padding:8px 4px 24px}
@media (max-width:600px){body{font-size:17px}.page{padding:6px}section{padding:9px}
 .grid{grid-template-columns:1fr}header.top h1{font-size:1.35em}}
@page{size:A4 landscape;margin:12mm}
@media print{body{background:#fff}.lang-label{display:none}section{box-shadow:none}
 .scroll{overflow:visible}table{font-size:.75em}tr,.card{break-inside:avoid}}
""".replace("FONTS", FONTS)
