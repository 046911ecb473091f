using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.JSInterop;
using RemoltBlazor.Web.Components.Controls;

namespace RemoltBlazor.Web.Components.Pages.Workspace;

/// <summary>The tab strip: activate, add, close, rename (kept in localStorage), the keyboard, and the active terminal's tools.</summary>
public sealed partial class WorkspacePage
{
    private readonly Dictionary<string, ElementReference> _tabElements = [];
    private readonly Dictionary<int, TerminalView> _views = [];
    private int? _renaming;
    private string? _renameText;

    private TerminalView? ActiveView => _tabs.ActiveService is null && _views.TryGetValue(_tabs.Active, out var view) ? view : null;

    private IReadOnlyList<string> TabOrder() =>
        [.. _tabs.Windows.Select(WorkspaceTabKey.Id), .. _services.Select(WorkspaceTabKey.Id)];

    private async Task RestoreLabelsAsync()
    {
        if (_session is not null)
        {
            _tabs.RestoreLabels(await JS.InvokeAsync<string?>("localStorage.getItem", WorkspaceTabs.LabelsStorageKey(_session.Id)));
        }
    }

    private async Task SaveLabelsAsync()
    {
        if (_session is not null)
        {
            await JS.InvokeVoidAsync("localStorage.setItem", WorkspaceTabs.LabelsStorageKey(_session.Id), _tabs.LabelsJson());
        }
    }

    private void Activate(string id)
    {
        foreach (var window in _tabs.Windows.Where(w => WorkspaceTabKey.Id(w) == id))
        {
            _tabs.Activate(window);
            return;
        }

        foreach (var service in _services.Where(s => WorkspaceTabKey.Id(s) == id))
        {
            _tabs.ActivateService(service);
        }
    }

    private void Add() => _tabs.Add();

    private void Close(int window)
    {
        if (_tabs.Close(window))
        {
            _views.Remove(window);
        }
    }

    private async Task OnTabKeyAsync(KeyboardEventArgs e)
    {
        if (_renaming is not null)
        {
            return; // keys belong to the rename field
        }

        var current = _tabs.ActiveService is { } service ? WorkspaceTabKey.Id(service) : WorkspaceTabKey.Id(_tabs.Active);
        if (WorkspaceTabKey.For(TabOrder(), current, e.Key) is not { } action)
        {
            return;
        }

        if (action.Close && _tabs.ActiveService is null)
        {
            Close(_tabs.Active);
            current = WorkspaceTabKey.Id(_tabs.Active);
        }
        else if (action.Rename && _tabs.ActiveService is null)
        {
            StartRename(_tabs.Active);
            return;
        }
        else if (action.MoveTo is { } target)
        {
            Activate(target);
            current = target;
        }

        StateHasChanged();
        await FocusTabAsync(current);
    }

    // Focus follows the keyboard after the render that made the tab focusable (tabindex 0).
    private async Task FocusTabAsync(string id)
    {
        await Task.Yield();
        if (_tabElements.TryGetValue(id, out var element))
        {
            try
            {
                await element.FocusAsync();
            }
            catch (JSException)
            {
                // The tab went away in the meantime (closed by another key).
            }
        }
    }

    private void StartRename(int window)
    {
        _renaming = window;
        _renameText = _tabs.LabelOf(window);
    }

    private async Task OnRenameKeyAsync(KeyboardEventArgs e)
    {
        if (e.Key == "Enter")
        {
            await CommitRenameAsync();
        }
        else if (e.Key == "Escape")
        {
            var window = _renaming;
            _renaming = null;
            if (window is { } w)
            {
                await FocusTabAsync(WorkspaceTabKey.Id(w));
            }
        }
    }

    private async Task CommitRenameAsync()
    {
        if (_renaming is not { } window)
        {
            return;
        }

        _renaming = null;
        if (_tabs.Rename(window, _renameText))
        {
            await SaveLabelsAsync();
        }

        StateHasChanged();
        await FocusTabAsync(WorkspaceTabKey.Id(window));
    }

    private void OpenSearch() => ActiveView?.OpenSearch();

    private Task CopyAsync() => ActiveView?.CopyAsync() ?? Task.CompletedTask;

    private Task PasteAsync() => ActiveView?.PasteAsync() ?? Task.CompletedTask;

    private Task ZoomAsync(int delta) => ActiveView?.ZoomAsync(delta) ?? Task.CompletedTask;
}
