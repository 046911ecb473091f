using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>
/// List (with <c>limit</c>/<c>continue</c> paging) and watch (initial events when no resourceVersion is given,
/// BOOKMARKs when asked for, an ERROR 410 Expired event for a resourceVersion older than the store's history).
/// </summary>
internal static class FakeListEndpoints
{
    public static async Task ListOrWatchAsync(HttpContext http, FakeResourceStore store, FakeResourceKind kind, string? ns, TimeSpan bookmarkInterval)
    {
        var query = http.Request.Query;
        var labels = LabelSelector.Parse(query["labelSelector"]);
        var fields = FieldSelector.Parse(query["fieldSelector"]);
        if (query["watch"] is ["true" or "1"])
        {
            await WatchAsync(http, store, kind, ns, labels, fields, bookmarkInterval);
            return;
        }

        var (items, resourceVersion) = store.List(kind, ns, labels, fields);
        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) };
        if (query["continue"] is [{ Length: > 0 } token])
        {
            var (after, listedAt) = FakeContinueToken.Parse(token);
            if (listedAt < store.CompactedResourceVersion)
            {
                throw new FakeApiException(410, "Expired", "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
            }

            items = items.SkipWhile(item => string.CompareOrdinal(FakeContinueToken.Key(item), after) <= 0).ToList();
            metadata["resourceVersion"] = listedAt.ToString(CultureInfo.InvariantCulture);
        }

        if (int.TryParse(query["limit"], CultureInfo.InvariantCulture, out var limit) && limit > 0 && items.Count > limit)
        {
            metadata["continue"] = FakeContinueToken.Create(FakeContinueToken.Key(items[limit - 1]), long.Parse(metadata["resourceVersion"]!.ToString(), CultureInfo.InvariantCulture));
            metadata["remainingItemCount"] = items.Count - limit;
            items = items.Take(limit).ToList();
        }

        var list = new JsonObject
        {
            ["kind"] = kind.ListKind,
            ["apiVersion"] = kind.ApiVersion,
            ["metadata"] = metadata,
            ["items"] = new JsonArray(items.Select(item => (JsonNode?)item).ToArray()),
        };
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(list.ToJsonString(), http.RequestAborted);
    }

    // One JSON object per line, flushed as it happens, until the client goes or timeoutSeconds is up (then the
    // stream just ends, as the real server's does, and a client re-watches from the last resourceVersion it saw).
    // Without a resourceVersion (or with "0") the watch starts with an ADDED event for every current object.
    private static async Task WatchAsync(
        HttpContext http, FakeResourceStore store, FakeResourceKind kind, string? ns, LabelSelector labels, FieldSelector fields, TimeSpan bookmarkInterval)
    {
        var query = http.Request.Query;
        long? since = long.TryParse(query["resourceVersion"], CultureInfo.InvariantCulture, out var parsed) && parsed > 0 ? parsed : null;
        var initialEvents = query["sendInitialEvents"] is ["true"];
        var bookmarks = query["allowWatchBookmarks"] is ["true"];
        var timeout = int.TryParse(query["timeoutSeconds"], CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromMinutes(30);
        using var ends = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        ends.CancelAfter(timeout);
        http.Response.ContentType = "application/json";

        // The headers go out now, not with the first event: a client's request returns (and its own timeout runs) before anything changes.
        await http.Response.StartAsync(ends.Token);
        await http.Response.Body.FlushAsync(ends.Token);
        if (since < store.CompactedResourceVersion && !initialEvents)
        {
            var expired = new FakeApiException(410, "Expired", $"too old resource version: {since} ({store.CompactedResourceVersion})").ToStatus();
            await WriteLineAsync(http, new JsonObject { ["type"] = "ERROR", ["object"] = expired }, ends.Token);
            return;
        }

        var events = store.Watch(initialEvents ? null : since, includeCurrent: since is null || initialEvents, out var unwatch, out var startedAt);
        try
        {
            var lastResourceVersion = startedAt;
            var initialEnd = initialEvents;
            var reading = events.ReadAsync(ends.Token).AsTask();
            while (true)
            {
                // Initial events are in the channel already: once it has nothing more at hand, they are all out.
                if (initialEnd && !reading.IsCompleted)
                {
                    initialEnd = false;
                    await WriteLineAsync(http, Bookmark(kind, lastResourceVersion, initialEventsEnd: true), ends.Token);
                }

                var next = bookmarks ? await Task.WhenAny(reading, Task.Delay(bookmarkInterval, ends.Token)) : reading;
                if (next != reading)
                {
                    await WriteLineAsync(http, Bookmark(kind, Math.Max(lastResourceVersion, store.ResourceVersion), initialEventsEnd: false), ends.Token);
                    continue;
                }

                var change = await reading;
                reading = events.ReadAsync(ends.Token).AsTask();
                lastResourceVersion = Math.Max(lastResourceVersion, change.ResourceVersion);
                if (change.Kind == kind && (ns is null || change.Namespace == ns)
                    && change.Through(resource => labels.Matches(resource) && fields.Matches(resource)) is { } seen)
                {
                    await WriteLineAsync(http, JsonNode.Parse(seen.ToLine())!, ends.Token);
                }
            }
        }
        catch (OperationCanceledException) when (ends.IsCancellationRequested)
        {
            // The client went away or the watch's time is up: both end the stream normally.
        }
        finally
        {
            unwatch();
        }
    }

    private static JsonObject Bookmark(FakeResourceKind kind, long resourceVersion, bool initialEventsEnd)
    {
        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) };
        if (initialEventsEnd)
        {
            metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }

        return new JsonObject { ["type"] = "BOOKMARK", ["object"] = new JsonObject { ["kind"] = kind.Kind, ["apiVersion"] = kind.ApiVersion, ["metadata"] = metadata } };
    }

    private static async Task WriteLineAsync(HttpContext http, JsonNode line, CancellationToken cancellationToken)
    {
        await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line.ToJsonString() + "\n"), cancellationToken);
        await http.Response.Body.FlushAsync(cancellationToken);
    }
}
