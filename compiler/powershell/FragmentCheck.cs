// The work of check-fragments.ps1 and parse-files.ps1, in compiled code: PowerShell's own parser for
// each text, one AstVisitor walk per text, and the Windows PowerShell 5.1 inventory held in hash
// tables loaded once (FragmentCheck); every generated file parsed whole (FileCheck); their lines of
// JSON read from stdin and written to stdout as bytes (Lines). The texts are parsed on every core
// (Parser.ParseInput is static and re-entrant, a text's tree is its own), each into its own slot,
// and written in input order: the output is the same whatever the threads did first. What a text
// says may not depend on the thread that parsed it: whatever PowerShell does with the runspace of
// the script's thread (a .psd1's SafeGetValue) runs on that thread, after the parallel parse.
// check-fragments.ps1 compiles this file (its text only: nothing of a fragment or file is ever put
// into code) and keeps the assembly in fleetform's cache; see the scripts' headers for the input
// and output.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace Fleetform.PowerShellCheck
{
    /// <summary>A place in a text and what is said there (one of errors, compat, dynamic).</summary>
    internal sealed class Finding
    {
        public int Line, Column, EndLine, EndColumn;
        public string Text, Message;

        public Finding(IScriptExtent extent, string message)
        {
            Line = extent.StartLineNumber; Column = extent.StartColumnNumber;
            EndLine = extent.EndLineNumber; EndColumn = extent.EndColumnNumber;
            Text = extent.Text; Message = message;
        }
    }

    /// <summary>A call the build resolves (a module's function, an extern, or an unknown command).</summary>
    internal sealed class Call
    {
        public IScriptExtent Name;
        public string Value;
        public List<CommandParameterAst> Parameters = new List<CommandParameterAst>();
        public bool Splatted;
    }

    /// <summary>What a written parameter of an in-box command means: a message, or the parameter and its values.</summary>
    internal sealed class Binding
    {
        public string Message;
        public string Parameter;
        public string[] Allowed;
        public bool IsEnum;
        /// <summary>The .NET type the parameter takes when no plain value converts to it (SecureString, PSCredential), else null.</summary>
        public string Takes;
    }

    /// <summary>A variable passed as it is to an in-box parameter of a type plain values do not convert to: the build knows the variable's type.</summary>
    internal sealed class Typed
    {
        public Finding At;
        public string Variable, Command, Parameter, Takes;
        /// <summary>Whether the fragment's own scope assigns the variable (a parameter keeps its declared type when assigned).</summary>
        public bool Assigned;
    }

    /// <summary>An in-box command's parameters: name or alias -> parameter, and each parameter's value kind.</summary>
    internal sealed class ParameterTable
    {
        public Dictionary<string, string> Names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        public Dictionary<string, string> Own = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        public Dictionary<string, string> Kinds;
    }

    /// <summary>One walk of a text's tree: commands, function definitions, and syntax only PowerShell 6/7 parses.</summary>
    internal sealed class Collector : AstVisitor2
    {
        private static readonly PropertyInfo CleanBlock = typeof(ScriptBlockAst).GetProperty("CleanBlock");
        public readonly List<CommandAst> Commands = new List<CommandAst>();
        public readonly List<FunctionDefinitionAst> Functions = new List<FunctionDefinitionAst>();
        public readonly List<KeyValuePair<Ast, string>> Seven = new List<KeyValuePair<Ast, string>>();

        private const string Coalescing = "?? / ??= / ?. / ?[] (PowerShell 7)";

        /// <summary>Every variable written without a scope or drive ($x, not $script:x or $env:x).</summary>
        public readonly List<VariableExpressionAst> Variables = new List<VariableExpressionAst>();

        /// <summary>The variables data sections set (data msgs { ... }).</summary>
        public readonly List<string> DataVariables = new List<string>();
        /// <summary>Whether the text dot-sources something (. 'file.ps1'), which may set any variable.</summary>
        public bool DotSources;

        public override AstVisitAction VisitVariableExpression(VariableExpressionAst node)
        {
            // $x, and $script:x / $global:x (which set what $x then reads); not $env:x or $using:x.
            if (!node.VariablePath.IsDriveQualified && !(node.Parent is UsingExpressionAst)) Variables.Add(node);
            return AstVisitAction.Continue;
        }
        public override AstVisitAction VisitDataStatement(DataStatementAst node)
        {
            if (!string.IsNullOrEmpty(node.Variable)) DataVariables.Add(node.Variable);
            return AstVisitAction.Continue;
        }
        public override AstVisitAction VisitCommand(CommandAst node)
        {
            if (node.InvocationOperator == TokenKind.Dot) DotSources = true;
            Commands.Add(node);
            return AstVisitAction.Continue;
        }
        public override AstVisitAction VisitFunctionDefinition(FunctionDefinitionAst node) { Functions.Add(node); return AstVisitAction.Continue; }
        public override AstVisitAction VisitTernaryExpression(TernaryExpressionAst node) { Seven.Add(new KeyValuePair<Ast, string>(node, "the ternary operator ?: (PowerShell 7)")); return AstVisitAction.Continue; }
        public override AstVisitAction VisitPipelineChain(PipelineChainAst node) { Seven.Add(new KeyValuePair<Ast, string>(node, "&& / || between pipelines (PowerShell 7)")); return AstVisitAction.Continue; }
        public override AstVisitAction VisitBinaryExpression(BinaryExpressionAst node)
        {
            if (node.Operator == TokenKind.QuestionQuestion) Seven.Add(new KeyValuePair<Ast, string>(node, Coalescing));
            return AstVisitAction.Continue;
        }
        public override AstVisitAction VisitAssignmentStatement(AssignmentStatementAst node)
        {
            if (node.Operator == TokenKind.QuestionQuestionEquals) Seven.Add(new KeyValuePair<Ast, string>(node, Coalescing));
            return AstVisitAction.Continue;
        }
        public override AstVisitAction VisitMemberExpression(MemberExpressionAst node)
        {
            if (node.NullConditional) Seven.Add(new KeyValuePair<Ast, string>(node, Coalescing));
            else QuestionVariable(node.Expression, ".");
            return AstVisitAction.Continue;
        }
        public override AstVisitAction VisitInvokeMemberExpression(InvokeMemberExpressionAst node)
        {
            if (node.NullConditional) Seven.Add(new KeyValuePair<Ast, string>(node, Coalescing));
            else QuestionVariable(node.Expression, ".");
            return AstVisitAction.Continue;
        }
        public override AstVisitAction VisitIndexExpression(IndexExpressionAst node)
        {
            if (node.NullConditional) Seven.Add(new KeyValuePair<Ast, string>(node, Coalescing));
            else QuestionVariable(node.Target, "[");
            return AstVisitAction.Continue;
        }

        /// <summary>The variables named like x? that a member or index is taken of ($rule?.Enabled), which FF3071 leaves to these findings.</summary>
        public readonly List<VariableExpressionAst> QuestionVariables = new List<VariableExpressionAst>();

        // $rule?.Enabled: meant as PowerShell 7.1's null-conditional, which even there must be written
        // ${rule}?.Enabled; every PowerShell reads $rule? as a variable named 'rule?', never assigned.
        private void QuestionVariable(ExpressionAst target, string then)
        {
            var v = target as VariableExpressionAst;
            if (v == null || v.Splatted || !v.VariablePath.IsUnqualified) return;
            string name = v.VariablePath.UserPath;
            if (name.Length < 2 || name[name.Length - 1] != '?' || v.Extent.Text.StartsWith("${", StringComparison.Ordinal)) return;
            string bare = name.Substring(0, name.Length - 1);
            QuestionVariables.Add(v);
            string op = then == "." ? "?." : "?[";
            Seven.Add(new KeyValuePair<Ast, string>(v, "$" + name + then + " (PowerShell reads $" + name + " as a variable named '" + name + "', never assigned: PowerShell 7.1's null-conditional " + op + " is written ${" + bare + "}" + op + ", and 5.1 has none; test $" + bare + " for $null first)"));
        }
        public override AstVisitAction VisitScriptBlock(ScriptBlockAst node)
        {
            // clean {} is PowerShell 7.3's: read by reflection, so that this compiles on any pwsh 7.
            if (CleanBlock != null && CleanBlock.GetValue(node) != null) Seven.Add(new KeyValuePair<Ast, string>(node, "a clean {} block (PowerShell 7.3)"));
            return AstVisitAction.Continue;
        }
        public override AstVisitAction VisitPipeline(PipelineAst node)
        {
            if (node.Background) Seven.Add(new KeyValuePair<Ast, string>(node, "a trailing & background operator (PowerShell 6)"));
            return AstVisitAction.Continue;
        }
    }

    public sealed class FragmentCheck
    {
        private static readonly StringComparer IgnoreCase = StringComparer.OrdinalIgnoreCase;
        private static readonly Regex EscapeHint = new Regex("`e|`u\\{", RegexOptions.IgnoreCase);
        // Text that can hold 7-only syntax (?:, ??, ??=, ?., ?[], &&, ||, a trailing &, clean {}).
        private static readonly Regex SevenHint = new Regex("\\?|&|\\|\\||clean", RegexOptions.IgnoreCase);
        private static readonly Regex Extension = new Regex("\\.[A-Za-z0-9_]+$");
        private static readonly Regex Program = new Regex("[\\\\/][^\\\\/$]+\\.(exe|com|cmd|bat)$", RegexOptions.IgnoreCase);
        private static readonly Regex Number = new Regex("^-?\\d+$", RegexOptions.IgnoreCase);

        private readonly Dictionary<string, JsonElement> inbox;
        private readonly Dictionary<string, string> aliases;
        private readonly HashSet<string> builtins;
        private readonly HashSet<string> native;
        private readonly Dictionary<string, string[]> enums;
        private readonly Dictionary<string, string[]> valueSets;
        private readonly Dictionary<string, string> common = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        private readonly JsonDocument inventory;
        // Parameter tables, built on a command's first use; bindings by command and parameter as written.
        private readonly Dictionary<string, ParameterTable> tables = new Dictionary<string, ParameterTable>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, Binding> bindings = new Dictionary<string, Binding>(StringComparer.Ordinal);
        // The script thread's cultures, for every thread that checks a text.
        private readonly CultureInfo culture = CultureInfo.CurrentCulture;
        private readonly CultureInfo uiCulture = CultureInfo.CurrentUICulture;

        /// <summary>Reads ps51-inventory.json (scripts/gen-ps51-inventory.mjs).</summary>
        public FragmentCheck(string inventoryPath)
        {
            inventory = JsonDocument.Parse(File.ReadAllBytes(inventoryPath));
            JsonElement root = inventory.RootElement;
            inbox = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
            foreach (JsonProperty p in root.GetProperty("commands").EnumerateObject()) inbox[p.Name] = p.Value;
            aliases = Map(root.GetProperty("aliases"), StringComparer.OrdinalIgnoreCase);
            builtins = new HashSet<string>(Strings(root.GetProperty("builtinFunctions")), StringComparer.OrdinalIgnoreCase);
            native = new HashSet<string>(Strings(root.GetProperty("native")), StringComparer.OrdinalIgnoreCase);
            enums = Lists(root.GetProperty("enums"));
            valueSets = Lists(root.GetProperty("valueSets"));
            foreach (JsonProperty p in root.GetProperty("commonParameters").EnumerateObject())
            {
                common[p.Name] = p.Name;
                common[p.Value.GetString()] = p.Name;
            }
        }

        private static List<string> Strings(JsonElement array)
        {
            var list = new List<string>();
            foreach (JsonElement e in array.EnumerateArray()) list.Add(e.GetString());
            return list;
        }

        private static Dictionary<string, string[]> Lists(JsonElement obj)
        {
            var d = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
            foreach (JsonProperty p in obj.EnumerateObject()) d[p.Name] = Strings(p.Value).ToArray();
            return d;
        }

        private static Dictionary<string, string> Map(JsonElement obj, IEqualityComparer<string> comparer)
        {
            var d = new Dictionary<string, string>(comparer);
            foreach (JsonProperty p in obj.EnumerateObject()) d[p.Name] = p.Value.GetString();
            return d;
        }

        // name or alias -> the parameter it binds, for an in-box command; and the parameters' value
        // kinds ('' any, 'switch', an enum or a ValidateSet name).
        private ParameterTable TableOf(string name)
        {
            ParameterTable table;
            if (tables.TryGetValue(name, out table)) return table;
            JsonElement command = inbox[name];
            table = new ParameterTable();
            table.Kinds = Map(command.GetProperty("parameters"), StringComparer.OrdinalIgnoreCase);
            foreach (string key in table.Kinds.Keys) table.Names[key] = key;
            JsonElement element;
            if (command.TryGetProperty("aliases", out element))
            {
                foreach (JsonProperty p in element.EnumerateObject()) if (!table.Names.ContainsKey(p.Name)) table.Names[p.Name] = p.Value.GetString();
            }
            if (command.TryGetProperty("common", out element))
            {
                foreach (string key in common.Keys) if (!table.Names.ContainsKey(key)) table.Names[key] = common[key];
                foreach (string key in new[] { "ErrorAction", "WarningAction", "InformationAction" }) table.Kinds[key] = "System.Management.Automation.ActionPreference";
            }
            // The provider's dynamic parameters (and their aliases) bind only when the cmdlet's own do not.
            var dynamic = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            if (command.TryGetProperty("dynamic", out element)) foreach (JsonElement p in element.EnumerateArray()) dynamic.Add(p.GetString());
            foreach (KeyValuePair<string, string> p in table.Names) if (!dynamic.Contains(p.Value)) table.Own[p.Key] = p.Value;
            tables[name] = table;
            return table;
        }

        // The parameter a written name binds to, as PowerShell binds it: exact (name or alias), else the
        // one parameter whose names start with it; first among the cmdlet's own parameters, then (nothing
        // matched) among all, the provider's dynamic ones too. Returns the parameter, or null with the
        // candidates when ambiguous, or null and null when nothing binds.
        private string Resolve(ParameterTable table, string written, out List<string> ambiguous)
        {
            ambiguous = null;
            foreach (Dictionary<string, string> names in new[] { table.Own, table.Names })
            {
                string exact;
                if (names.TryGetValue(written, out exact)) return exact;
                var found = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                var order = new List<string>();
                foreach (KeyValuePair<string, string> p in names)
                {
                    if (p.Key.StartsWith(written, StringComparison.OrdinalIgnoreCase) && found.Add(p.Value)) order.Add(p.Value);
                }
                if (order.Count == 1) return order[0];
                if (order.Count > 1)
                {
                    // As Sort-Object orders strings: the current culture (the script's), ignoring case.
                    order.Sort((a, b) => culture.CompareInfo.Compare(a, b, CompareOptions.IgnoreCase));
                    ambiguous = order;
                    return null;
                }
            }
            return null;
        }

        // Levenshtein distance, for "did you mean". Characters are compared as PowerShell's -eq
        // compares them (upper-cased, invariant). It runs for every fragment's variables (FF3071):
        // two rows on the stack, nothing allocated; names longer than 64 characters are not compared
        // (int.MaxValue).
        private static int Distance(string a, string b)
        {
            if (a.Length > 64 || b.Length > 64) return int.MaxValue;
            Span<int> previous = stackalloc int[b.Length + 1];
            Span<int> current = stackalloc int[b.Length + 1];
            for (int j = 0; j <= b.Length; j++) previous[j] = j;
            for (int i = 1; i <= a.Length; i++)
            {
                current[0] = i;
                char ca = Folded(a[i - 1]);
                for (int j = 1; j <= b.Length; j++)
                {
                    int cost = ca == Folded(b[j - 1]) ? 0 : 1;
                    current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                }
                Span<int> t = previous; previous = current; current = t;
            }
            return previous[b.Length];
        }

        private static char Folded(char c) { return char.ToUpperInvariant(char.ToLowerInvariant(c)); }

        // The choice closest to `written`, if close enough; not `written` itself (in any case). A
        // choice whose length alone is too far off is not compared (the distance is at least that).
        private static string Closest(string written, IEnumerable<string> choices)
        {
            string best = null;
            int bestDistance = Math.Max(2, (int)Math.Round(written.Length / 3.0, MidpointRounding.ToEven)) + 1;
            foreach (string c in choices)
            {
                if (Math.Abs(c.Length - written.Length) >= bestDistance || string.Equals(c, written, StringComparison.OrdinalIgnoreCase)) continue;
                int d = Distance(written, c);
                if (d < bestDistance) { best = c; bestDistance = d; }
            }
            return best;
        }

        // The values a literal argument may take, or null when any: an enum's members or a ValidateSet.
        private string[] AllowedValues(string kind)
        {
            if (string.IsNullOrEmpty(kind) || kind == "switch") return null;
            string[] values;
            if (enums.TryGetValue(kind, out values) || valueSets.TryGetValue(kind, out values)) return values.Length > 0 ? values : null;
            return null;
        }

        // As PowerShell's -eq compares strings: invariant culture, ignoring case.
        private static bool SameText(string a, string b)
        {
            return string.Compare(a, b, CultureInfo.InvariantCulture, CompareOptions.IgnoreCase) == 0;
        }

        private static bool IsAllowed(string value, string[] allowed, bool isEnum)
        {
            // An enum also takes its numeric value, and a flags enum a comma-separated list.
            string[] parts = isEnum ? value.Split(',') : new[] { value };
            foreach (string raw in parts)
            {
                string part = raw.Trim();
                if (isEnum && Number.IsMatch(part)) continue;
                bool found = false;
                foreach (string a in allowed) if (SameText(a, part)) { found = true; break; }
                if (!found) return false;
            }
            return true;
        }

        // Built on first use and shared by the threads (under a lock: a binding is a function of its
        // key, so which thread builds it first does not matter).
        private Binding BindingOf(string command, string written)
        {
            lock (bindings) return BindingOfLocked(command, written);
        }

        private Binding BindingOfLocked(string command, string written)
        {
            string key = command + " -" + written;
            Binding binding;
            if (bindings.TryGetValue(key, out binding)) return binding;
            ParameterTable table = TableOf(command);
            List<string> ambiguous;
            string bound = Resolve(table, written, out ambiguous);
            binding = new Binding();
            if (bound == null && ambiguous == null)
            {
                string closest = Closest(written, table.Names.Keys);
                string hint = closest != null ? "; did you mean -" + table.Names[closest] + "?" : "";
                binding.Message = "Windows PowerShell 5.1's " + command + " has no parameter -" + written + hint;
            }
            else if (ambiguous != null)
            {
                binding.Message = "-" + written + " is ambiguous for Windows PowerShell 5.1's " + command + ": it could be -" + string.Join(", -", ambiguous);
            }
            else
            {
                string kind;
                table.Kinds.TryGetValue(bound, out kind);
                binding.Parameter = bound;
                binding.Allowed = AllowedValues(kind);
                binding.IsEnum = kind != null && enums.ContainsKey(kind);
                binding.Takes = kind == "securestring" ? "System.Security.SecureString" : kind == "credential" ? "System.Management.Automation.PSCredential" : null;
            }
            bindings[key] = binding;
            return binding;
        }

        /// <summary>What one text says (see check-fragments.ps1's header).</summary>
        private sealed class Result
        {
            public string Id;
            public bool IsFile;
            public Finding Error;
            public Finding Configuration;
            public readonly List<Finding> Compat = new List<Finding>();
            public readonly List<Call> Calls = new List<Call>();
            public readonly List<Finding> Dynamic = new List<Finding>();
            public readonly List<Typed> Typed = new List<Typed>();
            /// <summary>The place (its message: the close name) and the variable's name.</summary>
            public readonly List<KeyValuePair<Finding, string>> Unassigned = new List<KeyValuePair<Finding, string>>();
            public List<FunctionDefinitionAst> Functions;
        }

        private Result CheckText(string id, string text, bool isFile, string[] parameters)
        {
            var result = new Result { Id = id, IsFile = isFile };
            Token[] tokens;
            ParseError[] errors;
            ScriptBlockAst ast = Parser.ParseInput(text, out tokens, out errors);
            // A DSC Configuration statement is refused, found by its keyword (before the errors: on Linux
            // PowerShell cannot load DSC's schema store to parse one, and reports that, with a .NET stack
            // trace, as a parse error; on Windows it parses): fleetform writes the DSC documents itself.
            if (text.IndexOf("configuration", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                foreach (Token token in tokens)
                {
                    if (token.Kind == TokenKind.Configuration) { result.Configuration = new Finding(token.Extent, "a DSC Configuration statement"); return result; }
                }
            }
            if (errors.Length > 0)
            {
                // The first error only: the parser's later errors are mostly consequences of it.
                ParseError first = errors[0];
                foreach (ParseError e in errors) if (e.Extent.StartOffset < first.Extent.StartOffset) first = e;
                result.Error = new Finding(first.Extent, first.Message);
                return result;
            }
            var walk = new Collector();
            ast.Visit(walk);
            var defined = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (FunctionDefinitionAst f in walk.Functions) defined.Add(f.Name);
            result.Functions = walk.Functions;
            // 7-only syntax, in texts that can hold it.
            if (SevenHint.IsMatch(text)) foreach (KeyValuePair<Ast, string> node in walk.Seven) result.Compat.Add(new Finding(node.Key.Extent, node.Value));
            foreach (CommandAst node in walk.Commands) CheckCommand(node, defined, result);
            if (!isFile) Unassigned(walk, result, parameters);
            if (EscapeHint.IsMatch(text))
            {
                foreach (Token token in tokens)
                {
                    if ((token.Kind == TokenKind.StringExpandable || token.Kind == TokenKind.HereStringExpandable) && EscapeHint.IsMatch(token.Text))
                    {
                        result.Compat.Add(new Finding(token.Extent, "the `e or `u{} escape (PowerShell 6; Windows PowerShell 5.1 reads it as a plain letter)"));
                    }
                }
            }
            return result;
        }

        // Variables Windows PowerShell 5.1 sets itself (automatic and preference variables): never "unassigned".
        private static readonly HashSet<string> Automatic = new HashSet<string>(new[] {
            "_", "$", "^", "?", "args", "ConsoleFileName", "Error", "Event", "EventArgs", "EventSubscriber", "ExecutionContext", "false", "foreach",
            "HOME", "Host", "input", "LASTEXITCODE", "Matches", "MyInvocation", "NestedPromptLevel", "null", "OFS", "PID", "PROFILE", "PSBoundParameters",
            "PSCmdlet", "PSCommandPath", "PSCulture", "PSDebugContext", "PSEdition", "PSHOME", "PSItem", "PSScriptRoot", "PSSenderInfo", "PSUICulture", "PSVersionTable",
            "PWD", "Sender", "ShellId", "StackTrace", "switch", "this", "true", "ConfirmPreference", "DebugPreference", "ErrorActionPreference", "ErrorView",
            "FormatEnumerationLimit", "InformationPreference", "LogCommandHealthEvent", "LogCommandLifecycleEvent", "LogEngineHealthEvent",
            "LogEngineLifecycleEvent", "LogProviderHealthEvent", "LogProviderLifecycleEvent", "MaximumAliasCount", "MaximumDriveCount", "MaximumErrorCount",
            "MaximumFunctionCount", "MaximumHistoryCount", "MaximumVariableCount", "OutputEncoding", "ProgressPreference", "PSDefaultParameterValues",
            "PSEmailServer", "PSModuleAutoLoadingPreference", "PSSessionApplicationName", "PSSessionConfigurationName", "PSSessionOption",
            "Transcript", "VerbosePreference", "WarningPreference", "WhatIfPreference", "PSModulePath",
        }, StringComparer.OrdinalIgnoreCase);


        // The variables a text reads and never assigns (first place of each name): a fragment is a
        // function's body, whose parameters the build knows, so it can tell a misspelt name (which
        // Set-StrictMode -Version 3.0 fails on when the line runs) from a parameter. Assigned: the
        // target of =, +=, ..., [type]$x =, $a, $b = ..., foreach, a param() of a script block or
        // function inside, the variable of a -OutVariable/-ErrorVariable/..., Set-Variable/New-Variable.
        private static void Unassigned(Collector walk, Result result, string[] parameters)
        {
            // (most texts read a variable or two, their parameters: this is on every fragment's path,
            // so the commands are looked at only once a finding would be made)
            if (walk.Variables.Count == 0 || walk.DotSources) return;
            // (a text has a handful of variables: lists, not hash sets)
            var names = new List<string>(parameters);
            var assigned = new List<string>(parameters);
            foreach (string d in walk.DataVariables) assigned.Add(d);
            foreach (VariableExpressionAst v in walk.Variables)
            {
                string name = Unqualified(v.VariablePath);
                if (!Has(names, name)) names.Add(name);
                if (IsTarget(v) && !Has(assigned, name)) assigned.Add(name);
            }
            if (names.Count < 2) return;
            // Only a name close to another (a parameter, or a variable of the text) is reported: the
            // findings stay few, and each has its "did you mean"; a variable read and set nowhere in
            // the text may be the caller's or the module's.
            List<KeyValuePair<Finding, string>> found = null;
            var seen = new List<string>();
            foreach (VariableExpressionAst v in walk.Variables)
            {
                if (!v.VariablePath.IsUnqualified || walk.QuestionVariables.Contains(v)) continue;
                string name = v.VariablePath.UserPath;
                if (name.Length < 3 || Has(assigned, name) || Has(seen, name) || Automatic.Contains(name)) continue;
                seen.Add(name);
                string closest = Closest(name, names);
                if (closest == null) continue;
                (found ??= new List<KeyValuePair<Finding, string>>()).Add(new KeyValuePair<Finding, string>(new Finding(v.Extent, closest), name));
            }
            if (found == null) return;
            foreach (CommandAst c in walk.Commands)
            {
                var elements = c.CommandElements;
                string command = (elements[0] as StringConstantExpressionAst)?.Value ?? "";
                string target;
                if (aliasesOfVariableCommands.TryGetValue(command, out target)) command = target;
                // Set-Variable x, New-Variable x, Import-LocalizedData x: the first positional argument (or -Name) names the variable.
                bool variableCommand = VariableCommands.Contains(command);
                bool positional = variableCommand;
                for (int i = 1; i < elements.Count; i++)
                {
                    var parameter = elements[i] as CommandParameterAst;
                    if (parameter != null)
                    {
                        bool namesVariable = SetsVariable(parameter.ParameterName) || (variableCommand && "Name".StartsWith(parameter.ParameterName, StringComparison.OrdinalIgnoreCase));
                        // (Set-Variable -Value 1 x: a named parameter's argument is not the positional name)
                        if (!namesVariable && !positional) continue;
                        Ast argument = parameter.Argument;
                        if (argument == null && i + 1 < elements.Count && !(elements[i + 1] is CommandParameterAst)) { argument = elements[i + 1]; i++; }
                        if (!namesVariable) continue;
                        var name = argument as StringConstantExpressionAst;
                        if (name != null) assigned.Add(name.Value.TrimStart('+'));
                    }
                    else if (positional)
                    {
                        var name = elements[i] as StringConstantExpressionAst;
                        if (name != null) assigned.Add(name.Value);
                        positional = false;
                    }
                }
            }
            foreach (KeyValuePair<Finding, string> f in found) if (!Has(assigned, f.Value)) result.Unassigned.Add(f);
        }

        // The commands whose first positional argument (or -Name, -BindingVariable) names a variable they set.
        private static readonly HashSet<string> VariableCommands = new HashSet<string>(new[] { "Set-Variable", "New-Variable", "Import-LocalizedData" }, StringComparer.OrdinalIgnoreCase);
        private static readonly Dictionary<string, string> aliasesOfVariableCommands = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { { "sv", "Set-Variable" }, { "nv", "New-Variable" } };
        // Parameters that name a variable the command sets: the common -OutVariable, -ErrorVariable,
        // -WarningVariable, -InformationVariable, -PipelineVariable (by alias or unique prefix:
        // -ov, -outv), Tee-Object's -Variable, Set-/New-Variable's -Name, Import-LocalizedData's -BindingVariable.
        private static readonly string[] VariableParameters = { "OutVariable", "ErrorVariable", "WarningVariable", "InformationVariable", "PipelineVariable", "Variable", "BindingVariable" };
        private static readonly HashSet<string> VariableParameterAliases = new HashSet<string>(new[] { "ov", "ev", "wv", "iv", "pv" }, StringComparer.OrdinalIgnoreCase);
        private static bool SetsVariable(string written)
        {
            if (VariableParameterAliases.Contains(written)) return true;
            if (written.Length < 2) return false;
            foreach (string p in VariableParameters) if (p.StartsWith(written, StringComparison.OrdinalIgnoreCase)) return true;
            return false;
        }

        // $script:x -> x (what an unqualified $x then reads)
        private static string Unqualified(VariablePath path)
        {
            string written = path.UserPath;
            if (path.IsUnqualified) return written;
            int colon = written.IndexOf(':');
            return colon >= 0 ? written.Substring(colon + 1) : written;
        }

        private static bool Has(List<string> names, string name)
        {
            foreach (string n in names) if (string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) return true;
            return false;
        }

        private static bool IsTarget(VariableExpressionAst v)
        {
            Ast node = v;
            Ast parent = node.Parent;
            // [int]$x = 1, and the attributes of a parameter ([Parameter()] [string]$x)
            while (parent is ConvertExpressionAst || parent is AttributedExpressionAst) { node = parent; parent = node.Parent; }
            // $a, $b = 1, 2
            if (parent is ArrayLiteralAst && parent.Parent is AssignmentStatementAst && ((AssignmentStatementAst)parent.Parent).Left == parent) return true;
            var assignment = parent as AssignmentStatementAst;
            if (assignment != null) return assignment.Left == node;
            var loop = parent as ForEachStatementAst;
            if (loop != null) return loop.Variable == v;
            var parameter = parent as ParameterAst;
            if (parameter != null) return parameter.Name == v;
            return false;
        }

        // Whether a script block or function inside the text makes `v` a variable of its own (its
        // param(), a function's parameters, or an assignment in it, which makes a local in its
        // scope): then `v` is not the fragment's parameter, and its type is not the build's to know.
        private static bool Shadowed(VariableExpressionAst v)
        {
            string name = v.VariablePath.UserPath;
            for (Ast p = v.Parent; p != null; p = p.Parent)
            {
                var function = p as FunctionDefinitionAst;
                if (function != null && Declares(function.Parameters, name)) return true;
                var block = p as ScriptBlockAst;
                if (block == null || block.Parent == null) continue;
                if (Declares(block.ParamBlock?.Parameters, name) || AssignedIn(v, block)) return true;
            }
            return false;
        }

        // Whether a function's parameters or a param() block (either may be missing) declare `name`.
        private static bool Declares(IEnumerable<ParameterAst> parameters, string name)
        {
            if (parameters == null) return false;
            foreach (ParameterAst parameter in parameters) if (string.Equals(parameter.Name.VariablePath.UserPath, name, StringComparison.OrdinalIgnoreCase)) return true;
            return false;
        }

        // Whether the text assigns the variable with a type in front ([securestring]$Password = ...),
        // which gives it that type instead of its declared one: then its type is not the build's to know.
        private static bool Retyped(VariableExpressionAst v)
        {
            string name = v.VariablePath.UserPath;
            return FragmentRoot(v).Find(a =>
            {
                var assignment = a as AssignmentStatementAst;
                var typed = assignment?.Left as ConvertExpressionAst;
                var target = typed?.Child as VariableExpressionAst;
                return target != null && string.Equals(target.VariablePath.UserPath, name, StringComparison.OrdinalIgnoreCase);
            }, true) != null;
        }

        private static Ast FragmentRoot(Ast node)
        {
            while (node.Parent != null) node = node.Parent;
            return node;
        }

        // Whether `scope` (a script block) assigns the variable `v` names, outside the script blocks inside it.
        private static bool AssignedIn(VariableExpressionAst v, Ast scope)
        {
            string name = v.VariablePath.UserPath;
            return scope.Find(a =>
            {
                var target = a as VariableExpressionAst;
                if (target == null || !string.Equals(target.VariablePath.UserPath, name, StringComparison.OrdinalIgnoreCase) || !IsTarget(target)) return false;
                for (Ast p = target.Parent; p != null && p != scope; p = p.Parent) if (p is ScriptBlockAst) return false;
                return true;
            }, true) != null;
        }

        // A call: in-box commands are checked against 5.1, others are returned for linking.
        private void CheckCommand(CommandAst node, HashSet<string> defined, Result result)
        {
            CommandElementAst first = node.CommandElements[0];
            var constant = first as StringConstantExpressionAst;
            string name = constant != null ? constant.Value : null;
            if (string.IsNullOrEmpty(name))
            {
                // & $cmd, . $path, & (Get-Command x), & { ... } (a script block literal is checked where it stands).
                // A quoted path to a program ("$env:windir\system32\x.exe") runs that program: not reported.
                var expandable = first as ExpandableStringExpressionAst;
                if (!(first is ScriptBlockExpressionAst) && !(expandable != null && Program.IsMatch(expandable.Value)))
                {
                    result.Dynamic.Add(new Finding(first.Extent, node.InvocationOperator.ToString()));
                }
                return;
            }
            if (defined.Contains(name)) return;
            string target;
            if (aliases.TryGetValue(name, out target)) name = target;
            if (inbox.ContainsKey(name))
            {
                // An in-box command: unknown or ambiguous parameters, literal values its enum refuses.
                var elements = node.CommandElements;
                int n = elements.Count;
                for (int e = 1; e < n; e++)
                {
                    var element = elements[e] as CommandParameterAst;
                    if (element == null || string.IsNullOrEmpty(element.ParameterName)) continue;
                    Binding binding = BindingOf(name, element.ParameterName);
                    if (!string.IsNullOrEmpty(binding.Message))
                    {
                        result.Compat.Add(new Finding(element.Extent, binding.Message));
                    }
                    else if (binding.Takes != null || binding.Allowed != null)
                    {
                        Ast argument = element.Argument;
                        if (argument == null && e + 1 < n && !(elements[e + 1] is CommandParameterAst)) { argument = elements[e + 1]; e++; }
                        if (binding.Takes != null)
                        {
                            // $Password as it is (not $Account.Password, not $env:X): the build knows what type the variable has.
                            var variable = argument as VariableExpressionAst;
                            if (variable == null || variable.Splatted || !variable.VariablePath.IsUnqualified || Shadowed(variable) || Retyped(variable)) continue;
                            result.Typed.Add(new Typed { At = new Finding(variable.Extent, ""), Variable = variable.VariablePath.UserPath, Command = name, Parameter = binding.Parameter, Takes = binding.Takes, Assigned = AssignedIn(variable, FragmentRoot(variable)) });
                            continue;
                        }
                        var literal = argument as ConstantExpressionAst;
                        if (literal == null) continue;
                        string value = literal.Value == null ? "" : (string)LanguagePrimitives.ConvertTo(literal.Value, typeof(string), CultureInfo.InvariantCulture);
                        if (IsAllowed(value, binding.Allowed, binding.IsEnum)) continue;
                        string closest = Closest(value, binding.Allowed);
                        string hint = closest != null ? "; did you mean " + closest + "?" : "";
                        result.Compat.Add(new Finding(literal.Extent, "Windows PowerShell 5.1's " + name + " does not take '" + value + "' for -" + binding.Parameter + " (it takes " + string.Join(", ", binding.Allowed) + ")" + hint));
                    }
                }
                return;
            }
            if (builtins.Contains(name)) return;
            // A program: a path, a name with an extension, or a program 5.1's Windows has (netsh, icacls).
            if (name.Contains("\\") || name.Contains("/") || Extension.IsMatch(name)) return;
            if (native.Contains(name + ".exe") || native.Contains(name + ".com") || native.Contains(name + ".cmd") || native.Contains(name + ".bat")) return;
            var call = new Call { Name = first.Extent, Value = constant.Value };
            foreach (CommandElementAst element in node.CommandElements)
            {
                var parameter = element as CommandParameterAst;
                if (parameter != null) { call.Parameters.Add(parameter); continue; }
                var variable = element as VariableExpressionAst;
                if (variable != null && variable.Splatted) call.Splatted = true;
            }
            result.Calls.Add(call);
        }

        /// <summary>
        /// One line of fragments, JSON [{ id, text, file? }] (or one such object), UTF-8, to one line of
        /// JSON findings (without its line feed), for the texts with something to say only (and every
        /// file), in input order. The texts are checked on every core.
        /// </summary>
        public byte[] Check(byte[] line)
        {
            var ids = new List<string>();
            var texts = new List<string>();
            var isFile = new List<bool>();
            var parameters = new List<string[]>();
            if (!Lines.IsBlank(line))
            {
                using (JsonDocument document = JsonDocument.Parse(line))
                {
                    JsonElement root = document.RootElement;
                    var elements = new List<JsonElement>();
                    if (root.ValueKind == JsonValueKind.Array) foreach (JsonElement e in root.EnumerateArray()) elements.Add(e);
                    else elements.Add(root);
                    foreach (JsonElement element in elements)
                    {
                        ids.Add(element.GetProperty("id").GetString());
                        texts.Add(element.GetProperty("text").GetString());
                        JsonElement flag;
                        isFile.Add(element.TryGetProperty("file", out flag) && flag.ValueKind == JsonValueKind.True);
                        // The parameters of the function the fragment is the body of (their binding assigns them).
                        JsonElement names;
                        var list = new List<string>();
                        if (element.TryGetProperty("names", out names) && names.ValueKind == JsonValueKind.Array) foreach (JsonElement n in names.EnumerateArray()) list.Add(n.GetString());
                        parameters.Add(list.ToArray());
                    }
                }
            }
            var results = new Result[texts.Count];
            Lines.ForEach(texts.Count, culture, uiCulture, i => results[i] = CheckText(ids[i], texts[i], isFile[i], parameters[i]));
            var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartArray();
                foreach (Result r in results)
                {
                    if (r.IsFile || r.Error != null || r.Configuration != null || r.Compat.Count > 0 || r.Calls.Count > 0 || r.Dynamic.Count > 0 || r.Typed.Count > 0 || r.Unassigned.Count > 0) Write(w, r);
                }
                w.WriteEndArray();
            }
            return buffer.ToArray();
        }

        // A finding's place and text (its object left open, for what else it says).
        private static void WritePlace(Utf8JsonWriter w, Finding f)
        {
            w.WriteStartObject();
            w.WriteNumber("line", f.Line);
            w.WriteNumber("column", f.Column);
            w.WriteNumber("endLine", f.EndLine);
            w.WriteNumber("endColumn", f.EndColumn);
            w.WriteString("text", f.Text);
        }

        private static void Write(Utf8JsonWriter w, Finding f)
        {
            WritePlace(w, f);
            w.WriteString("message", f.Message);
            w.WriteEndObject();
        }

        private static void Write(Utf8JsonWriter w, string name, List<Finding> findings)
        {
            w.WriteStartArray(name);
            foreach (Finding f in findings) Write(w, f);
            w.WriteEndArray();
        }

        private static void Write(Utf8JsonWriter w, Result r)
        {
            w.WriteStartObject();
            w.WriteString("id", r.Id);
            var none = new List<Finding>();
            if (r.Configuration != null || r.Error != null)
            {
                Write(w, "errors", r.Error != null ? new List<Finding> { r.Error } : none);
                Write(w, "compat", r.Configuration != null ? new List<Finding> { r.Configuration } : none);
                w.WriteStartArray("calls");
                w.WriteEndArray();
                Write(w, "dynamic", none);
                w.WriteEndObject();
                return;
            }
            Write(w, "errors", none);
            Write(w, "compat", r.Compat);
            w.WriteStartArray("calls");
            foreach (Call c in r.Calls)
            {
                w.WriteStartObject();
                w.WriteString("name", c.Value);
                w.WriteNumber("line", c.Name.StartLineNumber);
                w.WriteNumber("column", c.Name.StartColumnNumber);
                w.WriteNumber("endColumn", c.Name.EndColumnNumber);
                w.WriteString("text", c.Name.Text);
                w.WriteStartArray("parameters");
                foreach (CommandParameterAst p in c.Parameters)
                {
                    w.WriteStartObject();
                    w.WriteString("name", p.ParameterName);
                    w.WriteNumber("line", p.Extent.StartLineNumber);
                    w.WriteNumber("column", p.Extent.StartColumnNumber);
                    w.WriteNumber("endColumn", p.Extent.EndColumnNumber);
                    w.WriteString("text", p.Extent.Text);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteBoolean("splatted", c.Splatted);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            Write(w, "dynamic", r.Dynamic);
            if (r.Unassigned.Count > 0)
            {
                w.WriteStartArray("unassigned");
                foreach (KeyValuePair<Finding, string> u in r.Unassigned)
                {
                    WritePlace(w, u.Key);
                    w.WriteString("name", u.Value);
                    w.WriteString("suggestion", u.Key.Message);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            if (r.Typed.Count > 0)
            {
                w.WriteStartArray("typed");
                foreach (Typed t in r.Typed)
                {
                    WritePlace(w, t.At);
                    w.WriteString("variable", t.Variable);
                    w.WriteString("command", t.Command);
                    w.WriteString("parameter", t.Parameter);
                    w.WriteString("takes", t.Takes);
                    w.WriteBoolean("assigned", t.Assigned);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            if (r.IsFile)
            {
                // A whole file: the functions it defines, with their parameters, for linking other files' calls.
                w.WriteStartArray("definitions");
                foreach (FunctionDefinitionAst f in r.Functions)
                {
                    w.WriteStartObject();
                    w.WriteString("name", f.Name);
                    w.WriteStartArray("parameters");
                    IEnumerable<ParameterAst> parameters = f.Body.ParamBlock != null ? f.Body.ParamBlock.Parameters : f.Parameters;
                    if (parameters != null) foreach (ParameterAst p in parameters) if (p != null) w.WriteStringValue(p.Name.VariablePath.UserPath);
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
    }
    /// <summary>
    /// What the build sends and receives: lines of JSON on stdin and stdout, read and written as UTF-8
    /// bytes (the generated files are megabytes: no UTF-16 string of a whole line in between), and
    /// the parallel loop the checks share.
    /// </summary>
    public sealed class Lines
    {
        private readonly Stream input;
        private readonly Stream output;
        private byte[] buffer = new byte[1 << 16];
        private int start, end;
        private bool ended;

        public Lines(Stream input, Stream output)
        {
            this.input = input;
            this.output = output;
        }

        /// <summary>
        /// The next line without its line feed (and carriage return), or null at the end of the input
        /// (and at every call after it: a loop that reads on after the end must see it again).
        /// </summary>
        public byte[] ReadLine()
        {
            var line = new MemoryStream();
            while (true)
            {
                int nl = start < end ? Array.IndexOf(buffer, (byte)10, start, end - start) : -1;
                if (nl >= 0)
                {
                    line.Write(buffer, start, nl - start);
                    start = nl + 1;
                    break;
                }
                line.Write(buffer, start, end - start);
                start = end = 0;
                if (ended) { if (line.Length == 0) return null; break; }
                int read = input.Read(buffer, 0, buffer.Length);
                if (read <= 0) { ended = true; if (line.Length == 0) return null; break; }
                end = read;
            }
            byte[] bytes = line.ToArray();
            if (bytes.Length > 0 && bytes[bytes.Length - 1] == 13) Array.Resize(ref bytes, bytes.Length - 1);
            return bytes;
        }

        /// <summary>Writes one line (the bytes and a line feed) and flushes it.</summary>
        public void WriteLine(byte[] bytes)
        {
            output.Write(bytes, 0, bytes.Length);
            output.WriteByte(10);
            output.Flush();
        }

        /// <summary>No line, or one of blanks only: nothing to check.</summary>
        public static bool IsBlank(byte[] line)
        {
            if (line == null) return true;
            foreach (byte b in line) if (b != 32 && b != 9 && b != 13 && b != 11 && b != 12) return false;
            return true;
        }

        /// <summary>
        /// body(0) .. body(count - 1) on every core, with the caller's cultures (PowerShell's messages
        /// and string comparisons read them). Each call writes its own slot; the first exception is rethrown.
        /// </summary>
        public static void ForEach(int count, CultureInfo culture, CultureInfo uiCulture, Action<int> body)
        {
            if (count == 0) return;
            var options = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) };
            try
            {
                Parallel.For(0, count, options, i =>
                {
                    Thread thread = Thread.CurrentThread;
                    if (!Equals(thread.CurrentCulture, culture)) thread.CurrentCulture = culture;
                    if (!Equals(thread.CurrentUICulture, uiCulture)) thread.CurrentUICulture = uiCulture;
                    body(i);
                });
            }
            catch (AggregateException e)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
        }
    }

    /// <summary>
    /// Every generated .ps1/.psm1/.psd1 parsed whole (parse-files.ps1): PowerShell's syntax errors, and
    /// for a .psd1 whether it is one hashtable of constant values (what Import-PowerShellDataFile and
    /// Import-Module accept).
    /// </summary>
    public static class FileCheck
    {
        private sealed class Finding
        {
            public int Line, Column;
            public string Message, Kind;
        }

        private sealed class Parsed
        {
            public string Path;
            public readonly List<Finding> Findings = new List<Finding>();
            /// <summary>A .psd1's one hashtable, whose values are checked on the script's thread.</summary>
            public HashtableAst Table;
        }

        /// <summary>
        /// One line of files, JSON [{ path, text }], UTF-8, to one line of JSON [{ path, line, column,
        /// message, kind }], findings only, in input order ([] for a blank line).
        /// </summary>
        public static byte[] Check(byte[] line)
        {
            var paths = new List<string>();
            var texts = new List<string>();
            if (!Lines.IsBlank(line))
            {
                using (JsonDocument document = JsonDocument.Parse(line))
                {
                    foreach (JsonElement e in document.RootElement.EnumerateArray()) { paths.Add(e.GetProperty("path").GetString()); texts.Add(e.GetProperty("text").GetString()); }
                }
            }
            string[] all = texts.ToArray();
            texts = null;
            var parsed = new Parsed[all.Length];
            Lines.ForEach(all.Length, CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture, i =>
            {
                parsed[i] = Parse(paths[i], all[i]);
                all[i] = null; // (its tree and tokens are not kept either)
            });
            // On this (the script's) thread: SafeGetValue reads the thread's runspace, as it did when
            // the script called it.
            foreach (Parsed p in parsed)
            {
                if (p.Table == null) continue;
                try
                {
                    p.Table.SafeGetValue();
                }
                catch (Exception e)
                {
                    // As PowerShell words an exception of a .NET method the script called ($_.Exception.Message).
                    p.Findings.Add(new Finding { Line = p.Table.Extent.StartLineNumber, Column = p.Table.Extent.StartColumnNumber, Message = string.Format(CultureInfo.InvariantCulture, "Exception calling \"{0}\" with \"{1}\" argument(s): \"{2}\"", "SafeGetValue", 0, e.Message), Kind = "data" });
                }
                p.Table = null;
            }
            var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartArray();
                foreach (Parsed p in parsed)
                {
                    foreach (Finding f in p.Findings)
                    {
                        w.WriteStartObject();
                        w.WriteString("path", p.Path);
                        w.WriteNumber("line", f.Line);
                        w.WriteNumber("column", f.Column);
                        w.WriteString("message", f.Message);
                        w.WriteString("kind", f.Kind);
                        w.WriteEndObject();
                    }
                }
                w.WriteEndArray();
            }
            return buffer.ToArray();
        }

        private static Parsed Parse(string path, string text)
        {
            var result = new Parsed { Path = path };
            Token[] tokens;
            ParseError[] errors;
            ScriptBlockAst ast = Parser.ParseInput(text, path, out tokens, out errors);
            foreach (ParseError e in errors) result.Findings.Add(new Finding { Line = e.Extent.StartLineNumber, Column = e.Extent.StartColumnNumber, Message = e.Message, Kind = "syntax" });
            if (errors.Length > 0 || !path.EndsWith(".psd1", StringComparison.OrdinalIgnoreCase)) return result;
            // What Import-PowerShellDataFile and Import-Module accept: one hashtable of constant values.
            HashtableAst table = null;
            var statements = ast.EndBlock != null ? ast.EndBlock.Statements : null;
            if (ast.BeginBlock == null && ast.ProcessBlock == null && statements != null && statements.Count == 1)
            {
                var pipeline = statements[0] as PipelineAst;
                if (pipeline != null && pipeline.PipelineElements.Count == 1)
                {
                    var expression = pipeline.PipelineElements[0] as CommandExpressionAst;
                    if (expression != null) table = expression.Expression as HashtableAst;
                }
            }
            if (table == null) result.Findings.Add(new Finding { Line = 1, Column = 1, Message = "it is not a single hashtable", Kind = "data" });
            else result.Table = table;
            return result;
        }
    }
}
