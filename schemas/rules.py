"""Every rule a submission is checked against: stable code, severity, and Thai/English messages.

A message template may use {value} (what was found), {expected}, and the rule's own fields.
Errors reject the file; warnings are accepted and reported; notices say what was normalised.
"""

from dataclasses import dataclass

ERROR, WARNING, NOTICE = "error", "warning", "notice"
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, NOTICE: 2}


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    message_th: str
    message_en: str


_RULES = (
    # The file as a whole.
    Rule("not-a-spreadsheet", ERROR,
         "ไฟล์นี้ไม่ใช่แบบรายงาน Excel ที่อ่านได้ กรุณาส่งไฟล์ .xlsx ที่ได้จากแบบรายงาน",
         "This file is not a readable Excel workbook ({value}); send the .xlsx template."),
    Rule("folder-unknown", ERROR,
         "ไฟล์ต้องส่งในโฟลเดอร์ของเขต (inbox/<รหัสเขต>/) แต่พบในโฟลเดอร์ \"{value}\"",
         "The file must be sent in its district's folder (inbox/<district code>/), not in "
         "\"{value}\"."),
    Rule("file-too-large", ERROR,
         "ไฟล์มีขนาด {value} เกินกว่าที่รับได้ ({expected})",
         "The file is {value}, more than the {expected} accepted."),
    Rule("file-encrypted", ERROR,
         "ไฟล์นี้ตั้งรหัสผ่านไว้ ระบบจึงเปิดอ่านไม่ได้ กรุณาบันทึกใหม่โดยไม่ตั้งรหัสผ่านแล้วส่งอีกครั้ง",
         "The file is password-protected and cannot be read; save it without a password and "
         "send it again."),
    Rule("archive-too-large", ERROR,
         "ไฟล์นี้เมื่อขยายแล้วใหญ่เกินกว่าที่รับได้ ({value}; รับได้ไม่เกิน {expected}) "
         "อาจเป็นไฟล์ที่เสียหาย กรุณาบันทึกใหม่จากแบบรายงาน",
         "Unpacked, the file is larger than accepted ({value}; at most {expected}); it may be "
         "damaged: save it again from the template."),
    Rule("read-timeout", ERROR,
         "อ่านไฟล์ไม่เสร็จภายใน {expected} วินาที อาจเป็นไฟล์ที่เสียหาย กรุณาบันทึกใหม่จากแบบรายงาน",
         "The file could not be read within {expected} seconds; it may be damaged: save it "
         "again from the template."),
    Rule("formula-no-value", ERROR,
         "ช่องนี้เป็นสูตรที่ยังไม่มีค่าที่คำนวณไว้ กรุณาเปิดไฟล์ใน Excel แล้วบันทึกอีกครั้งก่อนส่ง",
         "This cell holds a formula with no computed value; open the file in Excel and save it "
         "again before sending."),
    Rule("figure-merged", ERROR,
         "ช่อง {value} ถูกผสานเซลล์ (Merge) ข้ามแถวของตัวชี้วัดหลายตัว ระบบจึงอ่านค่าในช่องแรกเป็นค่าของ"
         "ทุกแถว กรุณายกเลิกการผสานเซลล์ แล้วกรอกค่าของแต่ละตัวชี้วัดในแถวของตัวเอง",
         "Cells {value} are merged across several key results' rows, so the first cell's figure "
         "is read as every row's; unmerge them and type each key result's own figure on its "
         "row."),
    Rule("cell-error", ERROR,
         "ช่องนี้แสดงค่าผิดพลาด {value} ระบบจึงอ่านตัวเลขไม่ได้ กรุณาแก้สูตรหรือพิมพ์ตัวเลขแทน",
         "This cell shows the error {value}, which is not a figure; correct the formula or "
         "type the figure."),
    Rule("data-sheet-missing", ERROR,
         "ไม่พบแผ่นงาน \"{expected}\" ในไฟล์ กรุณาใช้แบบรายงานที่สำนักยุทธศาสตร์ฯ ส่งให้",
         "The sheet \"{expected}\" is missing; use the template the strategy office sent."),
    Rule("data-sheet-ambiguous", ERROR,
         "ไม่พบแผ่นงาน \"{expected}\" และแผ่นงาน {value} ต่างมีตารางรายงานผล จึงไม่ทราบว่าแผ่นใด"
         "คือรายงานของรอบนี้ กรุณาตั้งชื่อแผ่นงานที่รายงานรอบนี้ว่า \"{expected}\" หรือลบแผ่นงานอื่นออก",
         "The sheet \"{expected}\" is missing, and the sheets {value} all hold the report's "
         "table: which one is this period's report cannot be told. Name it \"{expected}\" "
         "again, or remove the others."),
    Rule("column-missing", ERROR,
         "ไม่พบคอลัมน์ {expected} ในแผ่นงานรายงานผล กรุณาอย่าลบหรือเปลี่ยนชื่อคอลัมน์",
         "The column {expected} is missing from the data sheet; do not delete or rename columns."),
    Rule("metadata-missing", ERROR,
         "ไม่พบข้อมูลกำกับแบบรายงาน (แผ่นงานซ่อน _meta) กรุณาใช้แบบรายงานที่สำนักยุทธศาสตร์ฯ ส่งให้",
         "The template's hidden metadata sheet is missing; use the template you were sent."),
    Rule("signature-mismatch", ERROR,
         "ข้อมูลกำกับแบบรายงานถูกแก้ไขด้วยมือ (รหัสลงนามไม่ตรงกัน) กรุณาดาวน์โหลดแบบรายงานใหม่",
         "The template's metadata was edited by hand (signature does not match); "
         "start again from a fresh template."),
    Rule("template-version-unknown", ERROR,
         "แบบรายงานรุ่น {value} ไม่รองรับ (รุ่นที่ใช้ได้: {expected})",
         "Template version {value} is not supported (expected {expected})."),
    Rule("district-mismatch", ERROR,
         "ไฟล์นี้เป็นแบบรายงานของเขต {value} แต่ส่งมาในโฟลเดอร์ของเขต {expected} "
         "แต่ละเขตส่งได้เฉพาะแบบรายงานของเขตตนเองในโฟลเดอร์ของตนเอง หากท่านเป็นเขต {expected} "
         "กรุณากรอกแบบรายงานของเขต {expected} หากไฟล์นี้เป็นของเขต {value} "
         "ให้เขต {value} ส่งในโฟลเดอร์ของเขต {value}",
         "This is the template of district {value} but it was sent in the folder of "
         "district {expected}. Each district sends its own template in its own folder: if you "
         "are district {expected}, fill district {expected}'s; if this is district {value}'s "
         "file, district {value} sends it in its folder."),
    Rule("period-unknown", ERROR,
         "รอบการรายงาน {value} ไม่มีในทะเบียน OKR",
         "Reporting period {value} is not in the OKR registry."),
    Rule("period-closed", ERROR,
         "รอบการรายงาน {value} ปิดรับรายงานแล้ว หากต้องการแก้ไขข้อมูล กรุณาติดต่อสำนักยุทธศาสตร์ฯ",
         "Reporting period {value} is closed; contact the strategy office to correct its figures."),
    Rule("as-of-invalid", ERROR,
         "\"{value}\" ไม่ใช่วันที่ กรุณากรอกวันที่ของข้อมูล เช่น {expected}",
         "\"{value}\" is not a date; type the date the figures stand at, e.g. {expected}."),
    Rule("as-of-later-period", ERROR,
         "วันที่ของข้อมูล {value} อยู่ในรอบ {expected} ซึ่งเป็นรอบหลังจากรอบของแบบรายงานนี้ "
         "หากเป็นผลของรอบ {expected} กรุณากรอกในแบบรายงานของรอบ {expected} "
         "หากเป็นผลของรอบของแบบรายงานนี้ กรุณาแก้เป็นวันที่ของผลนั้น",
         "The figures are dated {value}, in {expected}, a period after this template's: if "
         "they are {expected}'s, fill the {expected} template; if they are this template's "
         "period's, type the date they stand at."),
    Rule("as-of-outside-period", WARNING,
         "วันที่ของข้อมูล {value} ไม่อยู่ในรอบการรายงาน ({expected}) กรุณาตรวจสอบ",
         "The figures' date {value} is outside the reporting period ({expected}); check it."),
    Rule("registry-version-unknown", ERROR,
         "แบบรายงานนี้ทำจากทะเบียน OKR รุ่น {value} ซึ่งไม่มีในระบบ "
         "กรุณาดาวน์โหลดแบบรายงานใหม่ (รุ่น {expected})",
         "This template was made from registry version {value}, which the warehouse does not "
         "know; start again from a fresh template (version {expected})."),
    Rule("registry-version-differs", NOTICE,
         "แบบรายงานนี้ทำจากทะเบียน OKR รุ่น {value} แต่รอบนี้ใช้รุ่น {expected} "
         "จึงตรวจและคำนวณตามค่าเป้าหมายของรุ่น {expected} ครั้งต่อไปกรุณาใช้แบบรายงานของรอบนี้",
         "This template was made from registry version {value}, but this period uses version "
         "{expected}: the figures were checked and scored against its targets. Use this "
         "period's template next time."),
    Rule("kr-added", NOTICE,
         "ตัวชี้วัด {value} อยู่ในทะเบียน OKR รุ่น {expected} ที่ใช้กับรอบนี้ "
         "แต่ไม่มีในแบบรายงานที่กรอกมา จึงแสดงว่าไม่มีข้อมูล",
         "Key result {value} is in registry version {expected}, which this period uses, but "
         "not in the template you filled; it shows as no data."),
    Rule("kr-missing", ERROR,
         "ไม่พบแถวของตัวชี้วัด {value} ที่เขตได้รับมอบหมาย กรุณาคัดลอกแถวนี้จากแบบรายงานกลับมา "
         "หรือแก้รหัสในคอลัมน์รหัสตัวชี้วัดให้ตรงกับแบบรายงาน",
         "The row of assigned key result {value} is missing; copy it back from the template, "
         "or correct the code in the KR code column to the template's."),
    # One row of the data sheet.
    Rule("kr-code-blank", ERROR,
         "แถวนี้มีข้อมูลแต่ไม่มีรหัสตัวชี้วัด หากเป็นแถวที่เพิ่มเข้ามา กรุณาลบแถวนี้ "
         "หากเป็นแถวของตัวชี้วัด กรุณาใส่รหัสตัวชี้วัดเดิมกลับคืน",
         "This row has figures but no key result code: delete it if you added it, or put back "
         "the code of its key result."),
    Rule("kr-unknown", ERROR,
         "รหัสตัวชี้วัด {value} ไม่ได้มอบหมายให้เขตนี้ กรุณาตรวจสอบรหัสกับแบบรายงาน "
         "หรือลบแถวนี้หากเพิ่มเข้ามาเอง",
         "Key result {value} is not assigned to this district; check the code against the "
         "template, or delete the row if you added it."),
    Rule("kr-retired", ERROR,
         "ตัวชี้วัด {value} ไม่ได้มอบหมายให้เขตนี้ในทะเบียน OKR รุ่น {expected} ที่ใช้กับรอบนี้ "
         "(ถูกยกเลิกหรือเปลี่ยนแปลง) กรุณากรอกแบบรายงานของรอบนี้แล้วส่งใหม่",
         "Key result {value} is not assigned to this district in registry version {expected}, "
         "which this period uses (it was retired or changed); fill in this period's template "
         "and send it again."),
    Rule("kr-duplicated", ERROR,
         "ตัวชี้วัด {value} ปรากฏมากกว่าหนึ่งแถว",
         "Key result {value} appears on more than one row."),
    Rule("not-a-number", ERROR,
         "\"{value}\" ไม่ใช่ตัวเลข กรุณากรอกเป็นตัวเลข",
         "\"{value}\" is not a number; type a number."),
    Rule("decimal-comma", ERROR,
         "\"{value}\" ใช้เครื่องหมายจุลภาค (,) เป็นจุดทศนิยม กรุณาใช้จุด (.) เป็นจุดทศนิยม "
         "และไม่ต้องใส่จุดคั่นหลักพัน เช่น 1.5 หรือ 1234.5",
         "\"{value}\" has a decimal comma; type a decimal point instead, with no point between "
         "thousands: 1.5, 1234.5."),
    Rule("date-not-number", ERROR,
         "ช่องนี้เป็นวันที่ ({value}) ไม่ใช่ตัวเลข Excel อาจเปลี่ยนสิ่งที่พิมพ์ (เช่น 1/5) เป็นวันที่ "
         "กรุณาจัดรูปแบบช่องเป็นตัวเลข (Number) แล้วพิมพ์ตัวเลขใหม่",
         "This cell holds a date ({value}), not a number: Excel may have made a date of what was "
         "typed (1/5); format the cell as a number and type the figure again."),
    Rule("actual-blank", ERROR,
         "ยังไม่ได้กรอกผลการดำเนินงาน หากยังไม่มีผล กรุณาระบุเหตุผลในช่องหมายเหตุ",
         "The actual value is blank; if there is none yet, explain why in the note."),
    Rule("parts-blank", ERROR,
         "ยังไม่ได้กรอกตัวตั้งและตัวหาร หากยังไม่มีผล กรุณาระบุเหตุผลในช่องหมายเหตุ",
         "The numerator and denominator are blank; if there are none yet, explain why in the "
         "note."),
    Rule("ratio-needs-parts", ERROR,
         "ตัวชี้วัดนี้เป็นสัดส่วน ช่องนี้ไม่ใช้ (พบ \"{value}\") กรุณาลบค่าในช่องนี้ "
         "แล้วกรอกตัวตั้งและตัวหารในช่องของตัวเอง",
         "This KR is a ratio and this cell is not used (found \"{value}\"); clear it and type "
         "the numerator and denominator in their own columns."),
    Rule("parts-not-used", ERROR,
         "ตัวชี้วัดนี้ไม่ใช่สัดส่วน ช่องนี้ไม่ใช้ (พบ \"{value}\") กรุณากรอกผลในช่องผลการดำเนินงาน",
         "This KR is not a ratio and this cell is not used (found \"{value}\"); type the "
         "figure in the actual column."),
    Rule("percent-out-of-range", ERROR,
         "ค่าร้อยละ {value} ต้องอยู่ระหว่าง 0 ถึง 100",
         "The percentage {value} must be between 0 and 100."),
    Rule("percent-as-fraction", ERROR,
         "ค่าร้อยละ {value} น้อยกว่า 1 ทั้งที่ค่าฐานและค่าเป้าหมายเป็นหลักสิบ ดูเหมือนพิมพ์เป็นสัดส่วน "
         "(เช่น 0.756 แทน 75.6) กรุณากรอกเป็นร้อยละ",
         "The percentage {value} is under 1 where the baseline and target are in the tens: it "
         "looks typed as a fraction (0.756 for 75.6); type the percentage."),
    Rule("count-far-above-target", WARNING,
         "ค่า {value} สูงกว่าค่าเป้าหมายทั้งปี ({expected}) เกิน 10 เท่า กรุณาตรวจสอบว่าพิมพ์เลขศูนย์เกินหรือไม่",
         "The value {value} is over ten times the annual target ({expected}); check for extra "
         "zeros."),
    Rule("count-fraction", WARNING,
         "จำนวน {value} มีทศนิยม แต่ตัวชี้วัดนี้นับเป็นจำนวนเต็ม ระบบจึงปัดเป็น {expected} "
         "หากหมายถึงหลักพัน (เช่น 1,209) กรุณาคั่นหลักพันด้วยเครื่องหมายจุลภาค (,) ไม่ใช่จุด",
         "The count {value} has a fraction where this key result counts whole units, so it was "
         "rounded to {expected}; if you meant thousands (1,209), part them with a comma, not a "
         "point."),
    Rule("count-negative", ERROR,
         "จำนวน {value} ต้องไม่ติดลบ",
         "The count {value} cannot be negative."),
    Rule("numerator-blank", ERROR,
         "กรอกตัวหาร ({value}) แล้วแต่ยังไม่ได้กรอกตัวตั้ง กรุณากรอกตัวตั้ง",
         "The denominator ({value}) is filled in but the numerator is blank; type the "
         "numerator."),
    Rule("denominator-blank", ERROR,
         "กรอกตัวตั้ง ({value}) แล้วแต่ยังไม่ได้กรอกตัวหาร กรุณากรอกตัวหาร",
         "The numerator ({value}) is filled in but the denominator is blank; type the "
         "denominator."),
    Rule("numerator-negative", ERROR,
         "ตัวตั้ง ({value}) ต้องไม่ติดลบ",
         "The numerator ({value}) cannot be negative."),
    Rule("numerator-above-denominator", ERROR,
         "ตัวตั้ง ({value}) ต้องไม่มากกว่าตัวหาร ({expected})",
         "The numerator ({value}) cannot exceed the denominator ({expected})."),
    Rule("denominator-not-positive", ERROR,
         "ตัวหาร ({value}) ต้องมากกว่า 0",
         "The denominator ({value}) must be greater than 0."),
    Rule("milestone-invalid", ERROR,
         "\"{value}\" ไม่ใช่ค่าที่เลือกได้ กรุณาเลือก \"ดำเนินการแล้ว\" หรือ \"ยังไม่ดำเนินการ\"",
         "\"{value}\" is not allowed; pick done (ดำเนินการแล้ว) or not done (ยังไม่ดำเนินการ)."),
    Rule("status-invalid", ERROR,
         "สถานะ \"{value}\" ไม่อยู่ในรายการ กรุณาเลือกจากรายการ ({expected})",
         "Status \"{value}\" is not in the list; pick one of the list ({expected})."),
    Rule("status-blank", ERROR,
         "ยังไม่ได้เลือกสถานะ กรุณาเลือกจากรายการ",
         "The status is blank; pick one from the list."),
    Rule("confidence-blank", WARNING,
         "ยังไม่ได้เลือกระดับความเชื่อมั่น กรุณาเลือกจากรายการ",
         "The confidence is blank; pick one from the list."),
    Rule("confidence-invalid", ERROR,
         "ระดับความเชื่อมั่น \"{value}\" ไม่อยู่ในรายการ กรุณาเลือกจากรายการ ({expected})",
         "Confidence \"{value}\" is not in the list; pick one of the list ({expected})."),
    Rule("cumulative-above-later", WARNING,
         "ผลสะสม {value} สูงกว่าผลที่รายงานไว้ในรอบถัดไป ({expected}) ตัวชี้วัดนี้เป็นผลสะสม "
         "จึงต้องไม่ลดลง กรุณาตรวจสอบ และส่งรายงานรอบนั้นที่แก้ไขแล้วด้วย",
         "The cumulative value {value} is higher than reported for a later period "
         "({expected}); a cumulative key result cannot go down: check it, and send that "
         "period's report corrected too."),
    Rule("cumulative-decreased", ERROR,
         "ผลสะสม {value} ต่ำกว่าผลที่รายงานไว้ในรอบก่อน ({expected}) ตัวชี้วัดนี้เป็นผลสะสม "
         "จึงต้องไม่ลดลง",
         "The cumulative value {value} is lower than reported for an earlier period "
         "({expected}); a cumulative key result cannot go down."),
    Rule("value-outlier", ERROR,  # a district's first figure has no earlier one to be near
         "ค่า {value} ต่างจากค่าของเขตอื่นมากผิดปกติ (ค่าที่พบทั่วไปประมาณ {expected}) "
         "และต่างจากผลของเขตเองในรอบก่อนด้วย (ถ้ามี) หากค่านี้ถูกต้อง กรุณาอธิบายในช่องหมายเหตุ",
         "The value {value} is far from other districts' (typically about {expected}), and "
         "from this district's earlier figures if it has any; if it is right, explain it in "
         "the note."),
    Rule("value-outlier-explained", WARNING,
         "ค่า {value} ต่างจากค่าของเขตอื่นมากผิดปกติ (ค่าที่พบทั่วไปประมาณ {expected}) "
         "รับไว้ตามคำอธิบายในหมายเหตุ",
         "The value {value} is far from other districts' (typically about {expected}); "
         "accepted on the note's explanation."),
    Rule("value-far-below-peers", WARNING,
         "ค่า {value} ต่ำกว่าค่าของเขตอื่นมาก (ค่าที่พบทั่วไปประมาณ {expected}) "
         "กรุณาตรวจสอบว่าพิมพ์ตัวเลขครบทุกหลักและใช้หน่วยเดียวกับค่าเป้าหมาย "
         "หากค่านี้ถูกต้อง กรุณาอธิบายในช่องหมายเหตุ",
         "The value {value} is far below other districts' (typically about {expected}): check "
         "that no digit is missing and that it is in the target's unit; if it is right, "
         "explain it in the note."),
    Rule("status-disagrees", WARNING,
         "สถานะที่รายงาน \"{value}\" ไม่สอดคล้องกับความก้าวหน้าที่คำนวณจากตัวเลข (\"{expected}\")",
         "The reported status \"{value}\" disagrees with the progress computed from the "
         "figures (\"{expected}\")."),
    Rule("note-too-long", ERROR,
         "หมายเหตุยาว {value} ตัวอักษร ต้องยาวไม่เกิน {expected} ตัวอักษร กรุณาย่อให้สั้นลง",
         "The note is {value} characters long; it may be at most {expected}. Shorten it."),
    Rule("note-required", ERROR,
         "สถานะ \"{value}\" ต้องมีคำอธิบายในช่องหมายเหตุ",
         "A status of \"{value}\" needs an explanation in the note."),
    # What was normalised before the checks.
    Rule("normalized-number", NOTICE,
         "อ่าน \"{value}\" เป็นตัวเลข {expected}",
         "Read \"{value}\" as the number {expected}."),
    Rule("normalized-rounded", NOTICE,
         "ปัดเศษ {value} เป็น {expected} ตามจำนวนทศนิยมของตัวชี้วัด",
         "Rounded {value} to {expected}, the key result's precision."),
    Rule("not-reported", NOTICE,
         "ไม่ได้กรอกผล ระบบบันทึกตัวชี้วัดนี้เป็น \"ไม่มีข้อมูล\" ตามเหตุผลในหมายเหตุ",
         "No figure: this key result is recorded as not reported, for the reason in the note."),
    Rule("normalized-date", NOTICE,
         "อ่าน \"{value}\" เป็นวันที่ {expected}",
         "Read \"{value}\" as the date {expected}."),
    Rule("normalized-choice", NOTICE,
         "อ่าน \"{value}\" เป็นตัวเลือก \"{expected}\"",
         "Read \"{value}\" as the choice \"{expected}\"."),
)

RULES: dict[str, Rule] = {rule.code: rule for rule in _RULES}
