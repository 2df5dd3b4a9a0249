using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Taizhang.Domain;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Pages;

/// <summary>
/// A staff page: a thin adapter over the same feature handlers as the API. Expected failures
/// become messages next to their fields (or above the form), in the user's language, with what
/// was typed kept; anything else goes to the one exception handler.
/// </summary>
public abstract class StaffPage : PageModel
{
    /// <summary>What just happened, shown once on the next page (after a redirect).</summary>
    [TempData]
    public string? Notice { get; set; }

    /// <summary>
    /// Runs a handler call; false (with the messages in ModelState) when it refused the input.
    /// Field names from the handler ("assigneeUnit") get <paramref name="prefix"/> ("Triage.").
    /// </summary>
    protected async Task<bool> TryAsync(Func<Task> action, string prefix = "")
    {
        try
        {
            await action();
            return true;
        }
        // Refusals of the input or of the moment are shown on the page; access refusals (401, 403, 404)
        // go to the one exception handler like any request's.
        catch (Exception e) when (e is RequestValidationException or DomainRuleException or ConcurrentChangeException or UnavailableException)
        {
            var problem = HttpContext.RequestServices.GetRequiredService<ProblemMap>().Map(e)!;
            if (problem is HttpValidationProblemDetails validation)
            {
                foreach (var (field, messages) in validation.Errors)
                {
                    foreach (var message in messages)
                    {
                        ModelState.AddModelError(prefix + Pascal(field), message);
                    }
                }
            }
            else
            {
                ModelState.AddModelError(string.Empty, problem.Title ?? string.Empty);
            }
            Response.StatusCode = problem.Status ?? StatusCodes.Status400BadRequest;
            return false;
        }
    }

    /// <summary>
    /// Registers through the intake handler under the form's Idempotency-Key (a double submit
    /// replays the first case). A key reused for a different matter (Back, edit, submit) is
    /// <paramref name="keyReused"/> above the form and a new key from <paramref name="renewKey"/>:
    /// another case only if the person submits once more. Null when refused (messages in ModelState).
    /// </summary>
    protected async Task<Features.Cases.RegisterCase.Outcome?> TryRegisterAsync(
        Features.Cases.RegisterCase.Handler register, Features.Cases.RegisterCase.Request request, string? key,
        string keyReused, Action renewKey, CancellationToken ct)
    {
        Features.Cases.RegisterCase.Outcome? outcome = null;
        var reused = false;
        if (await TryAsync(async () =>
            {
                try
                {
                    outcome = await register.HandleAsync(request, key, ct);
                }
                catch (DomainRuleException e) when (e.Code == "intake.idempotency-key-reused")
                {
                    reused = true;
                    throw;
                }
            }))
        {
            return outcome;
        }
        if (reused)
        {
            ModelState.Remove(string.Empty);
            ModelState.AddModelError(string.Empty, keyReused);
            renewKey();
        }
        return null;
    }

    /// <summary>"reporter.phone" (the API's field) → "Reporter.Phone" (the form's property path).</summary>
    private static string Pascal(string field) =>
        string.Join('.', field.Split('.').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));

    /// <summary>Back to a page with a one-time notice of what was done.</summary>
    protected IActionResult Done(string notice, string url)
    {
        Notice = notice;
        return LocalRedirect(url);
    }

    /// <summary>The messages for one field (its ModelState key), for pages that show errors without a model expression.</summary>
    public string? ErrorFor(string key) =>
        ModelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0
            ? string.Join(" ", entry.Errors.Select(e => e.ErrorMessage))
            : null;
}
