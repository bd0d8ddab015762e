import Foundation
import Kernel

/// The HTML of notification e-mails: one table-based layout with inline styles, which is what mail programs
/// (Outlook among them) render alike; the text is escaped and its paragraphs kept.
enum EmailLayout {
    static func html(
        title: String, text: String, action: (label: String, url: String)?, brand: String, locale: String, unsubscribeURL: String?
    ) -> String {
        let paragraphs = text.components(separatedBy: "\n\n").map { paragraph in
            "<p style=\"margin:0 0 16px 0;font-size:16px;line-height:24px;color:#1f2933;\">"
                + HTMLText.escape(paragraph).replacingOccurrences(of: "\n", with: "<br>") + "</p>"
        }.joined(separator: "\n")
        let button =
            action.map { action in
                """
                <table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 16px 0;"><tr>
                <td style="background:#1a56db;border-radius:6px;"><a href="\(HTMLText.escape(action.url))" style="display:inline-block;padding:12px 24px;font-size:16px;color:#ffffff;text-decoration:none;font-weight:bold;">\(HTMLText.escape(action.label))</a></td>
                </tr></table>
                """
            } ?? ""
        let footer =
            unsubscribeURL.map { url in
                let label = locale == "en" ? "Unsubscribe from these messages" : "Отписаться от таких писем"
                return "<a href=\"\(HTMLText.escape(url))\" style=\"color:#6b7280;\">\(label)</a>"
            } ?? ""
        return """
            <!DOCTYPE html>
            <html lang="\(locale)"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTMLText.escape(title))</title></head>
            <body style="margin:0;padding:0;background:#f3f4f6;">
            <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f3f4f6;"><tr><td align="center" style="padding:24px 12px;">
            <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;background:#ffffff;border-radius:8px;font-family:Arial,Helvetica,sans-serif;">
            <tr><td style="padding:20px 24px;border-bottom:1px solid #e5e7eb;font-size:18px;font-weight:bold;color:#1a56db;">\(HTMLText.escape(brand))</td></tr>
            <tr><td style="padding:24px;">
            <h1 style="margin:0 0 16px 0;font-size:22px;line-height:28px;color:#111827;">\(HTMLText.escape(title))</h1>
            \(paragraphs)
            \(button)
            </td></tr>
            <tr><td style="padding:16px 24px;border-top:1px solid #e5e7eb;font-size:12px;line-height:18px;color:#6b7280;">\(footer)</td></tr>
            </table></td></tr></table>
            </body></html>
            """
    }
}
