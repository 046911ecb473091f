using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using RemoltBlazor.Web.Hosting;

namespace RemoltBlazor.Web.Components.Pages.Admin;

/// <summary>
/// The admin pages' door: an admin gets their login; anyone else gets null and the page answers "not found" (a 404
/// while prerendering, the router's not-found view once interactive), the same as for a path that does not exist, so
/// the page neither shows nor hints at anything. Checked before a page subscribes to or reads anything.
/// </summary>
internal static class AdminAccess
{
    public static async Task<string?> AdminOrNotFoundAsync(AuthenticationStateProvider auth, NavigationManager navigation)
    {
        var user = (await auth.GetAuthenticationStateAsync()).User;
        if (CallerName.IsAdmin(user))
        {
            return CallerName.Of(user);
        }

        navigation.NotFound();
        return null;
    }
}
