namespace Taizhang.Web.Features.WeChat;

/// <summary>
/// A WeChat matter whose handling outlived the reply window: the resident was answered "being registered"
/// (<c>wechat.reply.pending</c>) and must be sent the outcome later, by customer message (客服消息).
/// </summary>
/// <param name="OpenId">The sender (also kept on the case as <c>CaseReporter.WeChatOpenId</c>).</param>
/// <param name="CaseId">The case registered; null when the registration failed (the resident should be asked to send it again).</param>
/// <param name="RatingCode">The 评价码 to send with the tracking code (plaintext exists only here and in the reply).</param>
public sealed record LateRegistration(string OpenId, string MsgId, long? CaseId, string? TrackingCode, string? RatingCode);

/// <summary>
/// The hook for the notifications outbox. TODO(notifications): replace this registration
/// (<c>services.Replace(ServiceDescriptor.Singleton&lt;IWeChatLateRegistration, …&gt;())</c>) with one that writes
/// a WeChat customer message to the outbox: "跟踪码 …，评价码 …" on success, "请重新发送" on failure.
/// Called once per message, outside any request (its own scope), after the registration is durable.
/// </summary>
public interface IWeChatLateRegistration
{
    Task NotifyAsync(LateRegistration registration, CancellationToken ct);
}

/// <summary>Until the outbox exists: only logged (message id and case id; never the OpenID or any code).</summary>
internal sealed class LoggedLateRegistration(ILogger<LoggedLateRegistration> log) : IWeChatLateRegistration
{
    public Task NotifyAsync(LateRegistration registration, CancellationToken ct)
    {
        log.LogWarning("WeChat message {MsgId} finished after the reply window (case {CaseId}); no customer message sender is configured",
            registration.MsgId, registration.CaseId);
        return Task.CompletedTask;
    }
}
