using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Taizhang.Web.Pages;

/// <summary>
/// Posts that no handler can take are refused before any page code runs, rather than failing
/// inside it with a 500 (found by the hostile-input test):
/// a POST to a page without a matching handler (POST /board, ?handler=Nonsense) is 405 — the
/// page would otherwise render without its OnGet having loaded anything; and a handler whose form
/// or service argument could not be bound (the form's fields are absent, the body is not a
/// readable form) is 400 — its code may rely on those arguments.
/// </summary>
public sealed class HandlerInputFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var method = context.HttpContext.Request.Method;
        if (context.HandlerMethod is null)
        {
            if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
            {
                context.Result = new StatusCodeResult(StatusCodes.Status405MethodNotAllowed);
                return;
            }
        }
        else if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method) && context.HandlerMethod.Parameters.Any(p => p.ParameterType.IsClass && p.ParameterType != typeof(string)
                     && (!context.HandlerArguments.TryGetValue(p.Name, out var value) || value is null)))
        {
            context.Result = new StatusCodeResult(StatusCodes.Status400BadRequest);
            return;
        }
        await next();
    }
}
