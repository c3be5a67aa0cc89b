using System.Text;

namespace Fitten.Generator.Emitting
{
    /// <summary>An indenting text writer for generated code (4 spaces, braces on their own lines).</summary>
    internal sealed class CodeWriter
    {
        private readonly StringBuilder _text = new();
        private int _indent;

        public void Line(string text = "")
        {
            if (text.Length > 0)
            {
                _text.Append(' ', _indent * 4);
            }

            _text.Append(text).Append('\n');
        }

        public void Open()
        {
            Line("{");
            _indent++;
        }

        public void Close()
        {
            _indent--;
            Line("}");
        }

        public override string ToString() => _text.ToString();
    }
}
