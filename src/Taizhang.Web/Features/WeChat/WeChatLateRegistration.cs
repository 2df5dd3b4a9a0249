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
/// Called once per message that outlived the reply window, outside any request (its own scope), after
/// the registration is durable. The codes need no extra message: every WeChat registration writes its
/// 受理 customer message (tracking code and 评价码) to the notifications outbox in the registration's
/// own transaction (<c>Features/Notifications</c>), so a late one reaches the resident that way. A failed
/// registration has no case to hang a message on: it is logged, and the resident sends the text again.
/// </summary>
public interface IWeChatLateRegistration
{
    Task NotifyAsync(LateRegistration registration, CancellationToken ct);
}

/// <summary>Logged (message id and case id; never the OpenID or any code).</summary>
internal sealed class LoggedLateRegistration(ILogger<LoggedLateRegistration> log) : IWeChatLateRegistration
{
    public Task NotifyAsync(LateRegistration registration, CancellationToken ct)
    {
        if (registration.CaseId is null)
        {
            log.LogWarning("WeChat message {MsgId} could not be registered after the reply window; the resident was told it is being registered",
                registration.MsgId);
        }
        else
        {
            log.LogInformation("WeChat message {MsgId} registered after the reply window as case {CaseId}; the outbox's customer message carries the codes",
                registration.MsgId, registration.CaseId);
        }
        return Task.CompletedTask;
    }
}
