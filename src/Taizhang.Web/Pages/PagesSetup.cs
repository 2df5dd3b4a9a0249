using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages;

public static class PagesSetup
{
    /// <summary>The staff pages: Razor Pages, their texts (IStringLocalizer over Resources/*.json), assets and chrome.</summary>
    public static IServiceCollection AddStaffPages(this IServiceCollection services)
    {
        services.AddSingleton<Microsoft.Extensions.Localization.IStringLocalizerFactory, TextsLocalizerFactory>();
        services.AddTransient(typeof(Microsoft.Extensions.Localization.IStringLocalizer<>), typeof(Microsoft.Extensions.Localization.StringLocalizer<>));
        services.AddSingleton<Assets>();
        services.AddScoped<Shared.PageChrome>();
        services.AddRazorPages(o =>
        {
            o.Conventions.ConfigureFilter(new HandlerInputFilter());
            // Every page for a signed-in person unless it allows anonymous by name (sign-in).
            o.Conventions.AuthorizeFolder("/", Features.Accounts.Policies.SignedIn);
        });
        // Pages are mostly Chinese: write it as text, not as &#x...; entities (still HTML-encoded where it matters).
        services.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        return services;
    }
}
