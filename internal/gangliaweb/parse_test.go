package gangliaweb

import (
	"slices"
	"testing"
)

// clusterPage is the part of a ganglia-web 3.7.5 cluster page the parsers
// read: one host up with its graph, one down.
const clusterPage = `<div id="cluster_overview">
        <table cellspacing=1 cellpadding=1 width="100%" border=0>
 <tr><td>CPUs Total:</td><td align=left><B>4</B></td></tr>
 <tr><td width="60%">Hosts up:</td><td align=left><B>1</B></td></tr>
 <tr><td>Hosts down:</td><td align=left><B>1</B></td></tr>
<select name="h" OnChange="ganglia_form.submit();"><option value="">--Choose a Node</option><option value="a&amp;b">a&amp;b
<option value="gone">gone
</select>
  <table id=graph_sorted_list>
    <tr>
    <td class=down>
      <b>
        <a href="?c=x&amp;h=gone&amp;m=load_one">gone</a>
      </b>
      <br>
      <i>load_one:</i> <b>down <br>&nbsp;<font size="-2">Last heartbeat 95s ago</font></b>
    </td>
      <td>
      <div>
        <font style='font-size: 8px'>a&amp;b</font>
        <br>
        <a href="?c=x&amp;h=a%26b&amp;m=load_one">
          <img src="./graph.php?m=load_one&amp;z=small&amp;c=x&amp;h=a%26b"
               class="host_small_zoomable"
               title="a&amp;b"
               border=0
               style="padding:2px;">
        </a>
      </div>
    </td>`

func TestClusterPageParsers(t *testing.T) {
	if s, err := ClusterSummary(clusterPage); err != nil || s != (Summary{CPUs: 4, Up: 1, Down: 1}) {
		t.Errorf("ClusterSummary = %+v, %v", s, err)
	}
	if got := NodeMenu(clusterPage); !slices.Equal(got, []string{"a&b", "gone"}) {
		t.Errorf("NodeMenu = %q", got)
	}
	if got := HostGraphs(clusterPage); !slices.Equal(got, []string{"a&b"}) {
		t.Errorf("HostGraphs = %q", got)
	}
	if got := DownHosts(clusterPage); !slices.Equal(got, []string{"gone"}) {
		t.Errorf("DownHosts = %q", got)
	}
	if _, err := ClusterSummary("<html></html>"); err == nil {
		t.Error("ClusterSummary of a page without an overview: no error")
	}
}

func TestFrontSources(t *testing.T) {
	const page = `<td class=grid colspan="3">
    <a href="./?m=load_one"><strong>G Grid (2 sources)</strong></a>
<table cellspacing="1" cellpadding="1" width="100%" border="0">
 <tr><td>CPUs Total:</td><td align="left"><B>6</B></td></tr>
 <tr><td width="80%">Hosts up:</td><td align="left"><B>2</B></td></tr>
 <tr><td>Hosts down:</td><td align="left"><B>1</B></td></tr>
  <td class=cluster colspan="3">
    <a href="./?c=P%26Q"><strong>P&amp;Q</strong></a> <FONT SIZE="-2">(physical view)</FONT>
 <tr><td>CPUs Total:</td><td align="left"><B>6</B></td></tr>
 <tr><td width="80%">Hosts up:</td><td align="left"><B>2</B></td></tr>
 <tr><td>Hosts down:</td><td align="left"><B>1</B></td></tr>
  <td class=cluster colspan="3">
    <a href="./?c=Empty"><strong>Empty</strong></a>
 <tr><td>CPUs Total:</td><td align="left"><B></B></td></tr>
 <tr><td width="80%">Hosts up:</td><td align="left"><B>0</B></td></tr>
 <tr><td>Hosts down:</td><td align="left"><B>0</B></td></tr>`
	got, err := FrontSources(page)
	want := []Source{
		{Name: "G Grid (2 sources)", Grid: true, Summary: Summary{6, 2, 1}},
		{Name: "P&Q", Summary: Summary{6, 2, 1}},
		{Name: "Empty"},
	}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("FrontSources = %+v, %v; want %+v", got, err, want)
	}
	if _, err := FrontSources("<html></html>"); err == nil {
		t.Error("FrontSources of a page without overviews: no error")
	}
	if _, err := FrontSources(`<td class=cluster colspan="3"> <a href="x"><strong>C</strong>`); err == nil {
		t.Error("FrontSources of an overview without figures: no error")
	}
}
