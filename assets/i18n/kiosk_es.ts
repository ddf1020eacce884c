<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es" sourcelanguage="en">
<context>
    <name>AttractScreen</name>
    <message>
        <location filename="../../ui/screens/attract.py" line="108"/>
        <source>Welcome</source>
        <translation>Le damos la bienvenida</translation>
    </message>
</context>
<context>
    <name>BodyView</name>
    <message>
        <location filename="../../ui/screens/reader.py" line="209"/>
        <source>{words}, link</source>
        <translation>{words}, enlace</translation>
    </message>
</context>
<context>
    <name>ChecklistView</name>
    <message>
        <location filename="../../ui/screens/checklist.py" line="197"/>
        <source>Take this list home</source>
        <translation>Llevar la lista a casa</translation>
    </message>
    <message>
        <location filename="../../ui/screens/checklist.py" line="198"/>
        <source>Shows a code your phone camera can read</source>
        <translation>Muestra un código que la cámara de su teléfono puede leer</translation>
    </message>
    <message>
        <location filename="../../ui/screens/checklist.py" line="200"/>
        <source>Print the list</source>
        <translation>Imprimir la lista</translation>
    </message>
    <message>
        <location filename="../../ui/screens/checklist.py" line="201"/>
        <source>Tick at least one question to take the list home.</source>
        <translation>Marque al menos una pregunta para llevarse la lista.</translation>
    </message>
</context>
<context>
    <name>CrisisScreen</name>
    <message>
        <location filename="../../ui/screens/crisis.py" line="142"/>
        <source>Back</source>
        <translation>Volver</translation>
    </message>
    <message>
        <location filename="../../ui/screens/crisis.py" line="142"/>
        <source>Close crisis help</source>
        <translation>Cerrar la ayuda en crisis</translation>
    </message>
</context>
<context>
    <name>Footer</name>
    <message>
        <location filename="../../ui/screens/chrome.py" line="271"/>
        <source>Tap to read all of it</source>
        <translation>Toque para leerlo todo</translation>
    </message>
</context>
<context>
    <name>GlossaryCard</name>
    <message>
        <location filename="../../ui/screens/overlay.py" line="199"/>
        <source>{words} and {last}</source>
        <translation>{words} y {last}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/overlay.py" line="206"/>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <location filename="../../ui/screens/overlay.py" line="206"/>
        <source>Close this explanation</source>
        <translation>Cerrar esta explicación</translation>
    </message>
</context>
<context>
    <name>HomeScreen</name>
    <message>
        <location filename="../../ui/screens/home.py" line="148"/>
        <source>Topics</source>
        <translation>Temas</translation>
    </message>
</context>
<context>
    <name>IdlePromptCard</name>
    <message>
        <location filename="../../ui/screens/overlay.py" line="237"/>
        <source>Still reading?</source>
        <translation>¿Sigue leyendo?</translation>
    </message>
    <message>
        <location filename="../../ui/screens/overlay.py" line="233"/>
        <source>1 second</source>
        <translation>1 segundo</translation>
    </message>
    <message>
        <location filename="../../ui/screens/overlay.py" line="235"/>
        <source>{n} seconds</source>
        <translation>{n} segundos</translation>
    </message>
    <message>
        <location filename="../../ui/screens/overlay.py" line="239"/>
        <source>This screen will start over for the next person in {time}. Tap anywhere to keep reading.</source>
        <translation>Esta pantalla volverá a empezar para la próxima persona en {time}. Toque en cualquier lugar para seguir leyendo.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/overlay.py" line="244"/>
        <source>I&apos;m still here</source>
        <translation>Sigo aquí</translation>
    </message>
    <message>
        <location filename="../../ui/screens/overlay.py" line="244"/>
        <source>Keep reading where you are</source>
        <translation>Siga leyendo donde se quedó</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <location filename="../../ui/app/window.py" line="298"/>
        <source>We read this second-hand, in a report or summary.</source>
        <translation>Lo leímos de segunda mano, en un informe o un resumen.</translation>
    </message>
    <message>
        <location filename="../../ui/app/window.py" line="299"/>
        <source>Where this information comes from</source>
        <translation>De dónde viene esta información</translation>
    </message>
    <message>
        <location filename="../../ui/app/window.py" line="300"/>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
</context>
<context>
    <name>QrCard</name>
    <message>
        <location filename="../../ui/screens/checklist.py" line="264"/>
        <source>QR code with your questions</source>
        <translation>Código QR con sus preguntas</translation>
    </message>
    <message>
        <location filename="../../ui/screens/checklist.py" line="277"/>
        <source>Phone: {number}</source>
        <translation>Teléfono: {number}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/checklist.py" line="300"/>
        <source>The code holds:</source>
        <translation>El código contiene:</translation>
    </message>
    <message>
        <location filename="../../ui/screens/checklist.py" line="301"/>
        <source>Take your questions home</source>
        <translation>Llévese sus preguntas a casa</translation>
    </message>
    <message>
        <location filename="../../ui/screens/checklist.py" line="295"/>
        <source>Point your phone&apos;s camera at the code. Your questions appear on your phone. Nothing is saved on this kiosk.</source>
        <translation>Apunte la cámara de su teléfono al código. Sus preguntas aparecen en su teléfono. Este quiosco no guarda nada.</translation>
    </message>
    <message>
        <location filename="../../ui/screens/checklist.py" line="302"/>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
</context>
<context>
    <name>ReadAloudBar</name>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="168"/>
        <source>very slow</source>
        <translation>muy lenta</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="169"/>
        <source>slow</source>
        <translation>lenta</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="170"/>
        <location filename="../../ui/read_aloud/bar.py" line="173"/>
        <source>normal</source>
        <translation>normal</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="171"/>
        <source>fast</source>
        <translation>rápida</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="172"/>
        <source>very fast</source>
        <translation>muy rápida</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="176"/>
        <source>Speed: {speed}</source>
        <translation>Velocidad: {speed}</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="177"/>
        <source>Volume: {level} of {levels}</source>
        <translation>Volumen: {level} de {levels}</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="183"/>
        <source>Speed</source>
        <translation>Velocidad</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="185"/>
        <source>Volume</source>
        <translation>Volumen</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="197"/>
        <source>Please keep the sound low for others, or plug in headphones if you have them.</source>
        <translation>Por favor, mantenga el sonido bajo por los demás, o conecte sus audífonos si los tiene.</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="200"/>
        <source>Please keep the sound low for others. The front desk can lend you headphones.</source>
        <translation>Por favor, mantenga el sonido bajo por los demás. En la recepción le pueden prestar audífonos.</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="202"/>
        <source>Please keep the sound low for others.</source>
        <translation>Por favor, mantenga el sonido bajo por los demás.</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="213"/>
        <source>Back</source>
        <translation>Atrás</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="213"/>
        <source>Hear the sentence before</source>
        <translation>Oír la oración anterior</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="214"/>
        <source>Skip</source>
        <translation>Saltar</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="214"/>
        <source>Go on to the next sentence</source>
        <translation>Pasar a la oración siguiente</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="221"/>
        <source>Previous sentence</source>
        <translation>Oración anterior</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="222"/>
        <source>Next sentence</source>
        <translation>Oración siguiente</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="328"/>
        <location filename="../../ui/read_aloud/bar.py" line="362"/>
        <source>Sentence {n} of {count}</source>
        <translation>Oración {n} de {count}</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="387"/>
        <source>Read aloud</source>
        <translation>Leer en voz alta</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="388"/>
        <source>Reads this screen out loud and highlights each word</source>
        <translation>Lee esta pantalla en voz alta y marca cada palabra</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="393"/>
        <source>Read aloud is not available</source>
        <translation>No se puede leer en voz alta</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="394"/>
        <source>Reading out loud is not working right now. Everything else still works.</source>
        <translation>La lectura en voz alta no funciona ahora. Todo lo demás sí funciona.</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="396"/>
        <source>Please ask a staff member if you need this read to you.</source>
        <translation>Si necesita que le lean esto, pida ayuda al personal.</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="398"/>
        <source>Resume</source>
        <translation>Continuar</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="398"/>
        <source>Pause</source>
        <translation>Pausar</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="399"/>
        <source>Stop</source>
        <translation>Detener</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="399"/>
        <source>Stop reading out loud</source>
        <translation>Dejar de leer en voz alta</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="400"/>
        <source>Repeat</source>
        <translation>Repetir</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="400"/>
        <source>Hear the last sentence again</source>
        <translation>Oír otra vez la última oración</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="401"/>
        <source>Slower</source>
        <translation>Más lento</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="401"/>
        <source>Read more slowly</source>
        <translation>Leer más despacio</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="402"/>
        <source>Faster</source>
        <translation>Más rápido</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="402"/>
        <source>Read more quickly</source>
        <translation>Leer más rápido</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="403"/>
        <source>Quieter</source>
        <translation>Más bajo</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="403"/>
        <source>Lower the volume</source>
        <translation>Bajar el volumen</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="404"/>
        <source>Louder</source>
        <translation>Más alto</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="404"/>
        <source>Raise the volume</source>
        <translation>Subir el volumen</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="407"/>
        <source>Speed and volume</source>
        <translation>Velocidad y volumen</translation>
    </message>
    <message>
        <location filename="../../ui/read_aloud/bar.py" line="408"/>
        <source>Shows the buttons for reading speed and volume</source>
        <translation>Muestra los botones de velocidad y volumen de lectura</translation>
    </message>
</context>
<context>
    <name>TopBar</name>
    <message>
        <location filename="../../ui/screens/chrome.py" line="170"/>
        <source>Makes all text twice as large</source>
        <translation>Hace que todo el texto se vea el doble de grande</translation>
    </message>
    <message>
        <location filename="../../ui/screens/chrome.py" line="169"/>
        <source>Larger text: on</source>
        <translation>Letra grande: sí</translation>
    </message>
    <message>
        <location filename="../../ui/screens/chrome.py" line="169"/>
        <source>Larger text: off</source>
        <translation>Letra grande: no</translation>
    </message>
    <message>
        <location filename="../../ui/screens/chrome.py" line="175"/>
        <source>High contrast: on</source>
        <translation>Alto contraste: sí</translation>
    </message>
    <message>
        <location filename="../../ui/screens/chrome.py" line="175"/>
        <source>High contrast: off</source>
        <translation>Alto contraste: no</translation>
    </message>
    <message>
        <location filename="../../ui/screens/chrome.py" line="176"/>
        <source>Switches to white and yellow on black</source>
        <translation>Cambia a letras blancas y amarillas sobre fondo negro</translation>
    </message>
    <message>
        <location filename="../../ui/screens/chrome.py" line="180"/>
        <source>Need help now? 988</source>
        <translation>¿Necesita ayuda ahora? 988</translation>
    </message>
    <message>
        <location filename="../../ui/screens/chrome.py" line="181"/>
        <source>Opens crisis help: call or text 988, call 911, or tell the front desk</source>
        <translation>Abre la ayuda en crisis: llame o envíe un texto al 988, llame al 911 o avise en la recepción</translation>
    </message>
</context>
<context>
    <name>TopicReader</name>
    <message>
        <location filename="../../ui/screens/reader.py" line="608"/>
        <source>Sources</source>
        <translation>Fuentes</translation>
    </message>
    <message>
        <location filename="../../ui/screens/reader.py" line="609"/>
        <source>Where this information comes from, and its review</source>
        <translation>De dónde viene esta información y su revisión</translation>
    </message>
</context>
<context>
    <name>TopicScreen</name>
    <message>
        <location filename="../../ui/screens/topic.py" line="149"/>
        <source>All topics</source>
        <translation>Todos los temas</translation>
    </message>
    <message>
        <location filename="../../ui/screens/topic.py" line="149"/>
        <source>Back to the list of topics</source>
        <translation>Volver a la lista de temas</translation>
    </message>
    <message>
        <location filename="../../ui/screens/topic.py" line="150"/>
        <source>Previous</source>
        <translation>Anterior</translation>
    </message>
    <message>
        <location filename="../../ui/screens/topic.py" line="151"/>
        <source>Next</source>
        <translation>Siguiente</translation>
    </message>
    <message>
        <location filename="../../ui/screens/topic.py" line="154"/>
        <source>Back to where I&apos;m listening</source>
        <translation>Volver a lo que estoy escuchando</translation>
    </message>
    <message>
        <location filename="../../ui/screens/topic.py" line="155"/>
        <source>Shows the sentence being read again, and follows it</source>
        <translation>Muestra otra vez la oración que se lee, y la sigue</translation>
    </message>
    <message>
        <location filename="../../ui/screens/topic.py" line="172"/>
        <source>Checked {checked} · Check overdue: this page may be out of date</source>
        <translation>Revisado el {checked} · Revisión atrasada: esta página puede no estar al día</translation>
    </message>
    <message>
        <location filename="../../ui/screens/topic.py" line="174"/>
        <source>Checked {checked} · Next check {due}</source>
        <translation>Revisado el {checked} · Próxima revisión: {due}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/topic.py" line="181"/>
        <source>MMMM d, yyyy</source>
        <translation>d &apos;de&apos; MMMM &apos;de&apos; yyyy</translation>
    </message>
    <message>
        <location filename="../../ui/screens/topic.py" line="169"/>
        <source>Awaiting clinical review</source>
        <translation>Pendiente de revisión clínica</translation>
    </message>
</context>
</TS>
