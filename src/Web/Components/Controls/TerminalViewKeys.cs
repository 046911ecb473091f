using System.Text;

namespace RemoltBlazor.Web.Components.Controls;

/// <summary>The keys of the phone key bar: those a soft keyboard lacks.</summary>
public enum TerminalKey
{
    Escape,
    Tab,
    Up,
    Down,
    Left,
    Right,
    TmuxPrefix,
}

/// <summary>
/// The phone key bar's logic: the bytes each key sends, and the sticky Ctrl and Alt, which apply to the next key,
/// from the bar or from the soft keyboard, and then let go. The bytes are what xterm.js would send for the same keys
/// on a hardware keyboard; tmux sits between the terminal and every program, and reads cursor keys in either form,
/// so normal cursor mode is always right here.
/// </summary>
public sealed class TerminalViewKeys
{
    private const string Esc = "\u001b";

    public bool Ctrl { get; private set; }

    public bool Alt { get; private set; }

    /// <summary>Whether the next key is modified, so the soft keyboard's next input must come here first.</summary>
    public bool Armed => Ctrl || Alt;

    public void ToggleCtrl() => Ctrl = !Ctrl;

    public void ToggleAlt() => Alt = !Alt;

    /// <summary>The bytes of a bar key with the armed modifiers, which are then released.</summary>
    public byte[] Press(TerminalKey key)
    {
        var text = key switch
        {
            TerminalKey.Escape => Esc,
            TerminalKey.Tab => "\t",
            TerminalKey.TmuxPrefix => "\u0002", // C-b, tmux's default prefix
            _ => Cursor(key),
        };
        if (Alt && key is not (TerminalKey.Up or TerminalKey.Down or TerminalKey.Left or TerminalKey.Right))
        {
            text = Esc + text;
        }

        Release();
        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>What the soft keyboard typed while a modifier was armed: Ctrl makes a control character, Alt prefixes ESC.</summary>
    public byte[] Modify(string typed)
    {
        ArgumentNullException.ThrowIfNull(typed);
        var text = typed;
        if (Ctrl && typed.Length == 1 && ControlCode(typed[0]) is { } control)
        {
            text = control.ToString();
        }

        if (Alt && text.Length > 0)
        {
            text = Esc + text;
        }

        Release();
        return Encoding.UTF8.GetBytes(text);
    }

    public void Release() => (Ctrl, Alt) = (false, false);

    // xterm's modified cursor keys: CSI 1 ; m X with m = 1 + (Alt ? 2 : 0) + (Ctrl ? 4 : 0).
    private string Cursor(TerminalKey key)
    {
        var final = key switch
        {
            TerminalKey.Up => 'A',
            TerminalKey.Down => 'B',
            TerminalKey.Right => 'C',
            _ => 'D',
        };
        var modifier = 1 + (Alt ? 2 : 0) + (Ctrl ? 4 : 0);
        return modifier == 1 ? $"{Esc}[{final}" : $"{Esc}[1;{modifier}{final}";
    }

    // Ctrl+letter is the letter's code & 0x1f; the punctuation a terminal user needs maps as on a VT220.
    private static char? ControlCode(char c) => c switch
    {
        >= 'a' and <= 'z' => (char)(c - 'a' + 1),
        >= 'A' and <= 'Z' => (char)(c - 'A' + 1),
        '@' or ' ' or '2' => '\0',
        '[' or '3' => '\u001b',
        '\\' or '4' => '\u001c',
        ']' or '5' => '\u001d',
        '^' or '6' => '\u001e',
        '_' or '7' or '/' => '\u001f',
        '?' or '8' => '\u007f',
        _ => null,
    };
}
