namespace RemoltBlazor.Web.Components.Pages.Workspace.Files;

/// <summary>What the Files pane has to do after a key on the tree: list a folder that opened, or open a file.</summary>
public readonly record struct TreeKeyResult(string? ListFolder, string? OpenFile)
{
    public static TreeKeyResult None => default;

    public static TreeKeyResult List(string folder) => new(folder, null);

    public static TreeKeyResult Open(string file) => new(null, file);
}
