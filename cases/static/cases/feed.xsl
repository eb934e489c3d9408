<?xml version="1.0" encoding="utf-8"?>
<!-- Shows an Atom feed of casetracker (cases/feeds.py) as a readable page when a browser opens it:
     what a feed is, how to follow it, and its entries. Feed readers ignore it and read the Atom.
     The page's language is the feed's (xml:lang); the site's stylesheet comes from the feed's
     link rel="stylesheet", since its address is known only to the site. No inline style or script:
     the feed is served under the site's Content-Security-Policy. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>

  <xsl:variable name="ru" select="starts-with(/atom:feed/@xml:lang, 'ru')"/>
  <xsl:variable name="self" select="/atom:feed/atom:link[@rel='self']/@href"/>

  <xsl:template match="/atom:feed">
    <html>
      <xsl:attribute name="lang"><xsl:choose><xsl:when test="$ru">ru</xsl:when><xsl:otherwise>en</xsl:otherwise></xsl:choose></xsl:attribute>
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="atom:title"/></title>
        <xsl:for-each select="atom:link[@rel='stylesheet']">
          <link rel="stylesheet" href="{@href}"/>
        </xsl:for-each>
      </head>
      <body>
        <header class="site">
          <a class="brand" href="{atom:link[@rel='alternate']/@href}">casetracker</a>
        </header>
        <main id="main">
          <p class="feed-note">
            <xsl:choose>
              <xsl:when test="$ru">Это лента новостей (Atom). Её читают программы для чтения лент, а браузер показывает её так.</xsl:when>
              <xsl:otherwise>This is a news feed (Atom). It is meant for feed readers; your browser shows it like this.</xsl:otherwise>
            </xsl:choose>
          </p>
          <h1><xsl:value-of select="atom:title"/></h1>
          <p><xsl:value-of select="atom:subtitle"/></p>
          <section class="feed-howto" aria-labelledby="howto-heading">
            <h2 id="howto-heading">
              <xsl:choose>
                <xsl:when test="$ru">Как следить за обновлениями</xsl:when>
                <xsl:otherwise>How to follow these changes</xsl:otherwise>
              </xsl:choose>
            </h2>
            <p>
              <xsl:choose>
                <xsl:when test="$ru">Лента сообщает о каждом новом опубликованном событии, без повторных визитов на сайт. Скопируйте этот адрес в программу для чтения лент (например, Thunderbird, NetNewsWire, Feedly или Inoreader), и новые записи будут появляться там сами:</xsl:when>
                <xsl:otherwise>A feed tells you of each newly published event without your coming back to the site. Copy this address into a feed reader (such as Thunderbird, NetNewsWire, Feedly or Inoreader) and new entries will appear there by themselves:</xsl:otherwise>
              </xsl:choose>
            </p>
            <p><code class="feed-address"><xsl:value-of select="$self"/></code></p>
            <p>
              <a href="{atom:link[@rel='alternate']/@href}">
                <xsl:choose>
                  <xsl:when test="$ru">Страница, за которой следит эта лента</xsl:when>
                  <xsl:otherwise>The page this feed follows</xsl:otherwise>
                </xsl:choose>
              </a>
            </p>
          </section>
          <section aria-labelledby="entries-heading">
            <h2 id="entries-heading">
              <xsl:choose>
                <xsl:when test="$ru">Последние записи</xsl:when>
                <xsl:otherwise>Latest entries</xsl:otherwise>
              </xsl:choose>
            </h2>
            <xsl:choose>
              <xsl:when test="atom:entry">
                <ol class="feed-entries" role="list">
                  <xsl:apply-templates select="atom:entry"/>
                </ol>
              </xsl:when>
              <xsl:otherwise>
                <p>
                  <xsl:choose>
                    <xsl:when test="$ru">Пока записей нет.</xsl:when>
                    <xsl:otherwise>No entries yet.</xsl:otherwise>
                  </xsl:choose>
                </p>
              </xsl:otherwise>
            </xsl:choose>
          </section>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="atom:entry">
    <li>
      <h3><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h3>
      <p class="muted">
        <time datetime="{substring(atom:updated, 1, 10)}"><xsl:value-of select="substring(atom:updated, 1, 10)"/></time>
      </p>
    </li>
  </xsl:template>
</xsl:stylesheet>
