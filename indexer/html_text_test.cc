#include "indexer/html_text.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace chaja::indexer {
namespace {

TEST(HtmlToTextTest, GoldenRows) {
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"<p>첫 문단</p><p>둘째 문단</p>", "첫 문단\n\n둘째 문단"},
      {"한 줄<br>다음 줄<br/>셋째", "한 줄\n다음 줄\n셋째"},
      {"<ul><li>하나</li><li>둘</li></ul>끝", "하나\n둘\n\n끝"},
      {"<h2>제목</h2>본문", "제목\n\n본문"},
      {"&lt;태그&gt; &amp; &quot;따옴표&quot; &#54620;&#xAE00; caf&eacute;", "<태그> & \"따옴표\" 한글 café"},
      {"a&nbsp;&nbsp;b", "a b"},
      {"  여러    칸의\n\t공백  ", "여러 칸의 공백"},
      {"<p>글<script>var x = '<p>스크립트</p>';</script><style>p{}</style>자</p>", "글자"},
      {"<nav>메뉴</nav><form><input value=\"x\">폼</form><noscript>JS</noscript>본문", "본문"},
      {"<pre>  코드\n    들여쓰기</pre>", "코드\n들여쓰기"},
      {"<table><tr><td>가</td><td>나</td></tr><tr><td>다</td></tr></table>", "가 나\n다"},
      {"<p>닫히지 않은 <b>굵게<p>다음", "닫히지 않은 굵게\n\n다음"},
      {"<!-- 주석 -->보이는 글", "보이는 글"},
      {"", ""},
      {"태그 없는 글", "태그 없는 글"},
      {"<div><div><p>깊은</p></div></div><div>다음</div>", "깊은\n\n다음"},
  };
  for (const auto& [html, want] : rows) EXPECT_EQ(HtmlToText(html), want) << html;
}

TEST(HtmlToTextTest, BlankLinesCanBeParagraphs) {
  HtmlTextOptions options;
  options.blank_lines_are_paragraphs = true;
  EXPECT_EQ(HtmlToText("첫 문단\n이어서\n\n둘째 <b>문단</b>", options), "첫 문단 이어서\n\n둘째 문단");
  EXPECT_EQ(HtmlToText("첫 문단\n이어서\n\n둘째 <b>문단</b>"), "첫 문단 이어서 둘째 문단");
}

TEST(HtmlToTextTest, BrokenInputNeverFails) {
  for (const char* html : {"<", "<<<>>>", "<p", "&", "&#", "&#xZZ;", "<script>", "</p></div>", "\xFF\xFE<p>x</p>",
                           "<a href=\"", "<![CDATA[x", "<?php echo 1; ?>"}) {
    (void)HtmlToText(html);  // no crash, no exception
  }
}

}  // namespace
}  // namespace chaja::indexer
