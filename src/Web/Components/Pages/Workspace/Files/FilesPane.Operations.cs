using System.Globalization;
using Microsoft.JSInterop;

namespace RemoltBlazor.Web.Components.Pages.Workspace.Files;

// The tree's operations: new file and folder, rename, move (a dialog or a drop), delete, and the uploads files.js runs.
public sealed partial class FilesPane
{
    /// <summary>Where new things go: the selected folder, the selected file's folder, else the workspace.</summary>
    private string TargetFolder => _tree.Selected is { } selected && _tree.Find(selected) is { } node
        ? (node.IsDirectory ? node.Path : WorkspacePaths.Parent(node.Path))
        : WorkspacePaths.Root;

    private FileTreeNode? SelectedNode => _tree.Selected is { } selected ? _tree.Find(selected) : null;

    private async Task NewFileAsync()
    {
        var folder = TargetFolder;
        var name = await FileNameDialog.AskAsync(Dialogs, "New file", "File name", "Create", hint: $"In {folder}");
        if (name is null)
        {
            return;
        }

        var path = WorkspacePaths.Join(folder, name);
        // An empty upload that refuses to replace: creating never overwrites an existing file.
        if (await RunAsync((session, ct) => Files.UploadAsync(session, path, Stream.Null, 0, overwrite: false, ct)))
        {
            await ShowCreatedAsync(path);
            await OpenAsync(path);
        }
    }

    private async Task NewFolderAsync()
    {
        var folder = TargetFolder;
        var name = await FileNameDialog.AskAsync(Dialogs, "New folder", "Folder name", "Create", hint: $"In {folder}");
        if (name is null)
        {
            return;
        }

        var path = WorkspacePaths.Join(folder, name);
        if (await RunAsync((session, ct) => Files.CreateFolderAsync(session, path, ct)))
        {
            await ShowCreatedAsync(path);
        }
    }

    /// <summary>Lists the new entry's folder (the notification may come later) and selects it.</summary>
    private async Task ShowCreatedAsync(string path)
    {
        var parent = WorkspacePaths.Parent(path);
        _tree.Expand(parent); // whether it was listed or not, the listing below brings it up to date
        await ListAsync(parent);
        _tree.Select(path);
    }

    private async Task RenameAsync()
    {
        if (SelectedNode is not { } node)
        {
            return;
        }

        var name = await FileNameDialog.AskAsync(Dialogs, "Rename", "New name", "Rename", node.Name);
        if (name is not null && name != node.Name)
        {
            await MoveAsync(node.Path, WorkspacePaths.Join(WorkspacePaths.Parent(node.Path), name));
        }
    }

    private async Task MoveToAsync()
    {
        if (SelectedNode is not { } node)
        {
            return;
        }

        var folder = await FileNameDialog.AskAsync(Dialogs, $"Move {node.Name} to…", "Destination folder", "Move",
            WorkspacePaths.Parent(node.Path), "A folder in the workspace, such as /src (created if missing)");
        if (folder is not null)
        {
            await MoveAsync(node.Path, WorkspacePaths.Join(folder, node.Name));
        }
    }

    [JSInvokable]
    public Task OnMoveDropped(string from, string folder) => InvokeAsync(async () =>
    {
        // Onto its own folder (nothing to do) or into itself (impossible).
        if (WorkspacePaths.Parent(from) == WorkspacePaths.Normalize(folder) || WorkspacePaths.IsWithin(folder, from))
        {
            return;
        }

        await MoveAsync(from, WorkspacePaths.Join(folder, WorkspacePaths.Name(from)));
        StateHasChanged();
    });

    private async Task MoveAsync(string from, string to)
    {
        if (!await RunAsync((session, ct) => Files.MoveAsync(session, from, to, ct)))
        {
            return;
        }

        await FollowMoveAsync(from, to);

        _tree.Apply([new Sandboxes.Files.FileChange("moved", to, _tree.Find(from)?.IsDirectory ?? false, from)]);
        await ListAsync(WorkspacePaths.Parent(to));
        _tree.Select(to);
    }

    private async Task DeleteAsync()
    {
        if (SelectedNode is not { } node)
        {
            return;
        }

        var what = node.IsDirectory ? $"the folder {node.Path} and everything in it" : node.Path;
        if (!await ConfirmAsync("Delete", $"Delete {what}? This cannot be undone.", "Delete"))
        {
            return;
        }

        if (await RunAsync((session, ct) => Files.DeleteAsync(session, node.Path, ct)))
        {
            _tree.Apply([new Sandboxes.Files.FileChange("deleted", node.Path, node.IsDirectory)]);
            await FollowDeleteAsync(node.Path);
        }
    }

    [JSInvokable]
    public Task OnUploadStarted(string path, long size) => InvokeAsync(() =>
    {
        _uploading = true;
        _upload = $"Uploading {WorkspacePaths.Name(path)} ({WorkspacePaths.Size(size)})…";
        StateHasChanged();
    });

    [JSInvokable]
    public Task OnUploadProgress(string path, long sent, long total) => InvokeAsync(() =>
    {
        var percent = total > 0 ? Math.Clamp(sent * 100 / total, 0, 100) : 0;
        _upload = $"Uploading {WorkspacePaths.Name(path)}… {percent.ToString(CultureInfo.InvariantCulture)}%";
        StateHasChanged();
    });

    /// <summary>The file exists: asked before files.js sends it again with <c>?overwrite=true</c>.</summary>
    [JSInvokable]
    public async Task<bool> ConfirmOverwrite(string path)
    {
        var replace = false;
        await InvokeAsync(async () => replace = await ConfirmAsync("Replace file", $"{path} already exists. Replace it with the uploaded file?", "Replace"));
        return replace;
    }

    [JSInvokable]
    public Task OnUploadFinished(string path, int status, string detail) => InvokeAsync(async () =>
    {
        _uploading = false;
        if (status is >= 200 and < 300)
        {
            _upload = $"Uploaded {WorkspacePaths.Name(path)}.";
            await ShowCreatedAsync(path);
        }
        else
        {
            _upload = null;
            _error = status == 409
                ? $"{WorkspacePaths.Name(path)} was not uploaded: a file of that name exists."
                : $"Upload of {WorkspacePaths.Name(path)} failed: {detail}";
        }

        StateHasChanged();
    });
}
