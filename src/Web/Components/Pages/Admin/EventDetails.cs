using System.Text;
using System.Text.Json;

namespace RemoltBlazor.Web.Components.Pages.Admin;

/// <summary>An event's fields as one line for the events table: <c>reason=admin by=carol</c> (the session id has its own column).</summary>
public static class EventDetails
{
    public static string Text(string fieldsJson)
    {
        try
        {
            using var document = JsonDocument.Parse(fieldsJson);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return fieldsJson;
            }

            var text = new StringBuilder();
            foreach (var field in document.RootElement.EnumerateObject())
            {
                if (field.Name == "session_id")
                {
                    continue;
                }

                text.Append(text.Length == 0 ? "" : " ").Append(field.Name).Append('=').Append(field.Value.ValueKind switch
                {
                    JsonValueKind.String => field.Value.GetString(),
                    _ => field.Value.GetRawText(),
                });
            }

            return text.ToString();
        }
        catch (JsonException)
        {
            return fieldsJson;
        }
    }
}
