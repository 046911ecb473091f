using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace RemoltBlazor.TestSupport.Kubernetes;

/// <summary>
/// The fake API server's objects: namespaced resources keyed by kind, namespace and name, with one resourceVersion
/// counter that grows on every change (as etcd's does), and the history of changes so a watch can start from the
/// resourceVersion of an earlier list.
/// </summary>
public sealed class FakeResourceStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(FakeResourceKind Kind, string Namespace, string Name), JsonObject> _objects = [];
    private readonly List<FakeWatchEvent> _history = [];
    private readonly List<Channel<FakeWatchEvent>> _watchers = [];
    private long _resourceVersion = 100;
    private long _compactedResourceVersion;

    // Like etcd's compaction: older changes are forgotten, and a watch from before them gets 410 Expired.
    private const int HistoryLimit = 10_000;

    public long ResourceVersion
    {
        get
        {
            lock (_lock)
            {
                return _resourceVersion;
            }
        }
    }

    /// <summary>The resourceVersion up to which the history is forgotten: a watch or continue from before it is answered 410 Expired.</summary>
    public long CompactedResourceVersion
    {
        get
        {
            lock (_lock)
            {
                return _compactedResourceVersion;
            }
        }
    }

    /// <summary>Forgets the history up to now, as etcd's compaction does (a test's way to make a resourceVersion too old).</summary>
    public void Compact()
    {
        lock (_lock)
        {
            _history.Clear();
            _compactedResourceVersion = _resourceVersion;
        }
    }

    /// <summary>How many watches are open now: a test waits for a client's watch before it changes what the client waits for.</summary>
    public int WatcherCount
    {
        get
        {
            lock (_lock)
            {
                return _watchers.Count;
            }
        }
    }

    /// <summary>Stores a new object (fills uid, namespace, creationTimestamp, resourceVersion; a pod starts Pending).</summary>
    /// <exception cref="FakeApiException">409 AlreadyExists, or 422 without a name.</exception>
    public JsonObject Create(FakeResourceKind kind, string ns, JsonObject body)
    {
        var metadata = body["metadata"] as JsonObject ?? new JsonObject();
        body["metadata"] = metadata;
        body["kind"] = kind.Kind;
        body["apiVersion"] = kind.ApiVersion;
        if (metadata["name"] is null && metadata["generateName"]?.GetValue<string>() is { } prefix)
        {
            metadata["name"] = prefix + Guid.NewGuid().ToString("N")[..5];
        }

        var name = metadata["name"]?.GetValue<string>()
            ?? throw new FakeApiException(422, "Invalid", $"{kind.Kind} \"\" is invalid: metadata.name: Required value: name or generateName is required");
        if (kind.Namespaced)
        {
            metadata["namespace"] = ns;
        }
        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = Now();
        metadata["generation"] = 1L;
        body["status"] = FakeInitialStatus.Of(kind, body) ?? body["status"];

        lock (_lock)
        {
            if (_objects.ContainsKey((kind, ns, name)))
            {
                throw new FakeApiException(409, "AlreadyExists", $"{kind.Plural}{kind.GroupSuffix} \"{name}\" already exists", kind, name);
            }

            _objects[(kind, ns, name)] = body;
            return Publish("ADDED", kind, ns, body);
        }
    }

    /// <exception cref="FakeApiException">404 NotFound.</exception>
    public JsonObject Get(FakeResourceKind kind, string ns, string name)
    {
        lock (_lock)
        {
            return (JsonObject)Find(kind, ns, name).DeepClone();
        }
    }

    public bool Exists(FakeResourceKind kind, string ns, string name)
    {
        lock (_lock)
        {
            return _objects.ContainsKey((kind, ns, name));
        }
    }

    /// <summary>The matching objects (all namespaces when <paramref name="ns"/> is null), ordered by namespace and name, and the store's resourceVersion.</summary>
    public (IReadOnlyList<JsonObject> Items, long ResourceVersion) List(FakeResourceKind kind, string? ns, LabelSelector labels, FieldSelector fields)
    {
        lock (_lock)
        {
            var items = _objects
                .Where(entry => entry.Key.Kind == kind && (ns is null || entry.Key.Namespace == ns))
                .OrderBy(entry => entry.Key.Namespace, StringComparer.Ordinal).ThenBy(entry => entry.Key.Name, StringComparer.Ordinal)
                .Select(entry => entry.Value)
                .Where(item => labels.Matches(item) && fields.Matches(item))
                .Select(item => (JsonObject)item.DeepClone())
                .ToList();
            return (items, _resourceVersion);
        }
    }

    /// <summary>Deletes at once (the fake has no kubelet to wait for graceful termination) and returns the object as it was last.</summary>
    /// <exception cref="FakeApiException">404 NotFound.</exception>
    public JsonObject Delete(FakeResourceKind kind, string ns, string name)
    {
        lock (_lock)
        {
            var current = Find(kind, ns, name);
            _objects.Remove((kind, ns, name));
            current["metadata"]!["deletionTimestamp"] = Now();
            return Publish("DELETED", kind, ns, current);
        }
    }

    /// <summary>Changes an object in place (a test flipping a pod's status, say) and tells the watchers.</summary>
    /// <exception cref="FakeApiException">404 NotFound.</exception>
    public JsonObject Update(FakeResourceKind kind, string ns, string name, Action<JsonObject> change)
    {
        lock (_lock)
        {
            var current = Find(kind, ns, name);
            var previous = (JsonObject)current.DeepClone();
            change(current);
            return Publish("MODIFIED", kind, ns, current, previous);
        }
    }

    /// <summary>
    /// PUT: replaces the object's metadata and spec (the status of a kind with a status subresource stays, as do uid
    /// and creationTimestamp), after checking that the body's resourceVersion is the current one.
    /// </summary>
    /// <exception cref="FakeApiException">404; 409 Conflict on a stale resourceVersion; 422 without one.</exception>
    public JsonObject Replace(FakeResourceKind kind, string ns, string name, JsonObject body)
    {
        if (body["metadata"]?["resourceVersion"] is null)
        {
            throw new FakeApiException(422, "Invalid", $"{kind.Kind} \"{name}\" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update", kind, name);
        }

        lock (_lock)
        {
            return ReplaceLocked(kind, ns, name, Find(kind, ns, name), body);
        }
    }

    /// <summary>PATCH: <paramref name="patch"/> turns a copy of the object into the new one; a resourceVersion the patch sets is a precondition.</summary>
    /// <exception cref="FakeApiException">404; 409 Conflict when the patch names a resourceVersion that is not the current one.</exception>
    public JsonObject Patch(FakeResourceKind kind, string ns, string name, Func<JsonObject, JsonObject> patch)
    {
        lock (_lock)
        {
            var current = Find(kind, ns, name);
            return ReplaceLocked(kind, ns, name, current, patch((JsonObject)current.DeepClone()));
        }
    }

    /// <summary>
    /// The events after <paramref name="sinceResourceVersion"/> (none when null: a watch without one starts now),
    /// then every later one, until the returned unwatch runs. Replay and subscription happen under one lock, so nothing falls between.
    /// </summary>
    public ChannelReader<FakeWatchEvent> Watch(long? sinceResourceVersion, out Action unwatch) =>
        Watch(sinceResourceVersion, includeCurrent: false, out unwatch, out _);

    /// <summary>
    /// <see cref="Watch(long?, out Action)"/>, first with an ADDED event for every object there is now when
    /// <paramref name="includeCurrent"/> (a watch without a resourceVersion); <paramref name="startedAt"/> is the store's resourceVersion then.
    /// </summary>
    public ChannelReader<FakeWatchEvent> Watch(long? sinceResourceVersion, bool includeCurrent, out Action unwatch, out long startedAt)
    {
        var channel = Channel.CreateUnbounded<FakeWatchEvent>();
        lock (_lock)
        {
            startedAt = _resourceVersion;
            if (includeCurrent)
            {
                foreach (var ((kind, ns, _), resource) in _objects.OrderBy(entry => entry.Key.Namespace, StringComparer.Ordinal).ThenBy(entry => entry.Key.Name, StringComparer.Ordinal))
                {
                    var version = long.Parse(resource["metadata"]!["resourceVersion"]!.ToString(), CultureInfo.InvariantCulture);
                    channel.Writer.TryWrite(new FakeWatchEvent("ADDED", kind, ns, version, (JsonObject)resource.DeepClone()));
                }
            }

            if (sinceResourceVersion is { } since)
            {
                foreach (var change in _history.Where(change => change.ResourceVersion > since))
                {
                    channel.Writer.TryWrite(change);
                }
            }

            _watchers.Add(channel);
        }

        unwatch = () => Unwatch(channel);
        return channel.Reader;
    }

    private void Unwatch(Channel<FakeWatchEvent> channel)
    {
        lock (_lock)
        {
            _watchers.Remove(channel);
        }

        channel.Writer.TryComplete();
    }

    private JsonObject ReplaceLocked(FakeResourceKind kind, string ns, string name, JsonObject current, JsonObject body)
    {
        var replaced = FakeReplacement.Of(kind, name, current, body);
        _objects[(kind, ns, name)] = replaced;
        return Publish("MODIFIED", kind, ns, replaced, current);
    }

    private JsonObject Find(FakeResourceKind kind, string ns, string name) =>
        _objects.TryGetValue((kind, ns, name), out var found)
            ? found
            : throw new FakeApiException(404, "NotFound", $"{kind.Plural}{kind.GroupSuffix} \"{name}\" not found", kind, name);

    // Called under the lock: bumps the resourceVersion, records the change and hands a copy to the watchers and the caller.
    private JsonObject Publish(string type, FakeResourceKind kind, string ns, JsonObject current, JsonObject? previous = null)
    {
        _resourceVersion++;
        current["metadata"]!["resourceVersion"] = _resourceVersion.ToString(CultureInfo.InvariantCulture);
        var change = new FakeWatchEvent(type, kind, ns, _resourceVersion, (JsonObject)current.DeepClone()) { Previous = previous };
        _history.Add(change);
        if (_history.Count > HistoryLimit)
        {
            _compactedResourceVersion = _history[0].ResourceVersion;
            _history.RemoveAt(0);
        }

        foreach (var watcher in _watchers)
        {
            watcher.Writer.TryWrite(change);
        }

        return (JsonObject)current.DeepClone();
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
