using Microsoft.EntityFrameworkCore;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Admin;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Notifications;

/// <summary>
/// 通知模板: every administrator reads the texts and previews them; a top-level administrator changes
/// them (they apply to every town: the town's name is a placeholder) or resets one to its default.
/// A placeholder the template does not offer is refused with a field error. Each change is audited.
/// </summary>
public static class ManageNotificationTemplates
{
    public const int TextMaxLength = 500;

    public sealed record TemplateView(string Key, NotificationKind Kind, RecipientKind Recipient, string Text, string DefaultText,
        bool Customized, IReadOnlyList<string> Placeholders, string Preview, string? SmsTemplateCode);

    public sealed record PutRequest(string? Text);

    public sealed record Listing(IReadOnlyList<TemplateView> Templates, bool Editable);

    public sealed class Handler(TaizhangDb db, AdminScope admin, Texts texts, TimeProvider clock, NotificationOptions options)
    {
        public async Task<Listing> ListAsync(CancellationToken ct)
        {
            var scope = await admin.RequireAsync(ct);
            var current = await NotificationDispatcher.TemplateTextsAsync(db, ct);
            var views = NotificationTemplates.All.Select(t => View(t, current[t.Key])).ToList();
            return new Listing(views, scope.IsTopLevel);
        }

        /// <summary>The text filled with sample values, or the field error an unknown placeholder gets.</summary>
        public async Task<string> PreviewAsync(string key, PutRequest request, CancellationToken ct)
        {
            await admin.RequireAsync(ct);
            var text = Validate(key, request);
            return NotificationTemplates.Render(text, NotificationTemplates.SampleValues);
        }

        public async Task PutAsync(string key, PutRequest request, CancellationToken ct)
        {
            var scope = (await admin.RequireAsync(ct)).RequireTopLevel();
            var text = Validate(key, request);
            var now = clock.GetUtcNow().UtcDateTime;
            var settingKey = NotificationTemplates.SettingPrefix + key;
            var setting = await db.Settings.FirstOrDefaultAsync(s => s.Key == settingKey, ct);
            if (setting is null)
            {
                db.Settings.Add(new Setting { Key = settingKey, Value = text, UpdatedAt = now, UpdatedBy = scope.Principal.Actor.Name });
            }
            else
            {
                (setting.Value, setting.UpdatedAt, setting.UpdatedBy) = (text, now, scope.Principal.Actor.Name);
            }
            db.Record(scope.Principal.Actor, now, "notification-template.put", "notification-template:" + key, text);
            await db.SaveChangesAsync(ct);
        }

        public async Task ResetAsync(string key, CancellationToken ct)
        {
            var scope = (await admin.RequireAsync(ct)).RequireTopLevel();
            if (!NotificationTemplates.ByKey.ContainsKey(key))
            {
                throw new NotFoundException("notification-template");
            }
            var settingKey = NotificationTemplates.SettingPrefix + key;
            if (await db.Settings.FirstOrDefaultAsync(s => s.Key == settingKey, ct) is { } setting)
            {
                db.Settings.Remove(setting);
                db.Record(scope.Principal.Actor, clock.GetUtcNow().UtcDateTime, "notification-template.reset", "notification-template:" + key);
                await db.SaveChangesAsync(ct);
            }
        }

        private string Validate(string key, PutRequest request)
        {
            var template = NotificationTemplates.ByKey.GetValueOrDefault(key) ?? throw new NotFoundException("notification-template");
            var errors = new FieldErrors();
            var text = RequestParsing.Text(errors, texts, "text", request.Text, TextMaxLength, required: true);
            if (text is not null && NotificationTemplates.Unknown(template, text) is { Count: > 0 } unknown)
            {
                errors.Add("text", texts.Format("notifications.template.unknown-placeholder",
                    string.Join("、", unknown.Select(p => "{" + p + "}")), string.Join("、", template.Allowed.Select(p => "{" + p + "}"))));
            }
            errors.ThrowIfAny();
            return text!;
        }

        private TemplateView View(NotificationTemplates.Template t, string text) => new(
            t.Key, t.Kind, t.Recipient, text, t.DefaultText, text != t.DefaultText, t.Allowed,
            NotificationTemplates.Render(text, NotificationTemplates.SampleValues), options.Sms.Templates.GetValueOrDefault(t.Key));
    }
}
